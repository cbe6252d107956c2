package io.keyline.etcdctl.output;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An etcd wire message as Go's encoding/json prints etcd's gogoproto structs: every field is
 * tagged with its .proto name and omitempty, so zero values vanish; enums are numbers; a oneof
 * becomes {"GoFieldName":{"WrapperField":...}} because gogoproto gives those no json tag.
 */
public final class ProtoJson {
    private ProtoJson() {}

    public static Map<String, Object> of(Message m) {
        Map<String, Object> obj = GoJson.object();
        Set<OneofDescriptor> seen = new HashSet<>();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            OneofDescriptor oneof = f.getRealContainingOneof();
            if (oneof != null) {
                if (seen.add(oneof)) {
                    addOneof(obj, m, oneof);
                }
                continue;
            }
            if (f.isRepeated()) {
                if (m.getRepeatedFieldCount(f) > 0) {
                    List<Object> list = new ArrayList<>();
                    for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
                        list.add(value(f, m.getRepeatedField(f, i)));
                    }
                    obj.put(f.getName(), list);
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (m.hasField(f)) {
                    obj.put(f.getName(), of((Message) m.getField(f)));
                }
            } else {
                Object v = value(f, m.getField(f));
                if (!isZero(v)) {
                    obj.put(f.getName(), v);
                }
            }
        }
        return obj;
    }

    private static void addOneof(Map<String, Object> obj, Message m, OneofDescriptor oneof) {
        FieldDescriptor set = m.getOneofFieldDescriptor(oneof);
        if (set == null) {
            obj.put(goName(oneof.getName()), null);
            return;
        }
        Map<String, Object> wrapper = GoJson.object();
        wrapper.put(goName(set.getName()), value(set, m.getField(set)));
        obj.put(goName(oneof.getName()), wrapper);
    }

    private static Object value(FieldDescriptor f, Object v) {
        return switch (f.getType()) {
            case MESSAGE, GROUP -> of((Message) v);
            case BYTES -> ((ByteString) v).toByteArray();
            case ENUM -> ((EnumValueDescriptor) v).getNumber();
            case UINT64, FIXED64 -> GoJson.unsigned((Long) v);
            case UINT32, FIXED32 -> Integer.toUnsignedLong((Integer) v);
            default -> v;
        };
    }

    private static boolean isZero(Object v) {
        if (v instanceof Number n) {
            return n.longValue() == 0 && !(v instanceof java.math.BigInteger);
        }
        if (v instanceof Boolean b) {
            return !b;
        }
        if (v instanceof String s) {
            return s.isEmpty();
        }
        if (v instanceof byte[] b) {
            return b.length == 0;
        }
        return v == null;
    }

    /** Go's exported name of a proto field: request_range becomes RequestRange. */
    static String goName(String protoName) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : protoName.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }
}
