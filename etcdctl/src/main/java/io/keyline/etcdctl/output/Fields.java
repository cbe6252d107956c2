package io.keyline.etcdctl.output;

import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.mvccpb.KeyValue;

/** Building blocks of etcdctl's "fields" format: one "Name" : value line per field. */
public final class Fields {
    private Fields() {}

    public static void header(Output o, ResponseHeader h) {
        o.println("\"ClusterID\" : " + Long.toUnsignedString(h.getClusterId()));
        o.println("\"MemberID\" : " + Long.toUnsignedString(h.getMemberId()));
        o.println("\"Revision\" : " + h.getRevision());
        o.println("\"RaftTerm\" : " + Long.toUnsignedString(h.getRaftTerm()));
    }

    public static void kv(Output o, String prefix, KeyValue kv) {
        o.println("\"" + prefix + "Key\" : " + GoText.quote(kv.getKey().toByteArray()));
        o.println("\"" + prefix + "CreateRevision\" : " + kv.getCreateRevision());
        o.println("\"" + prefix + "ModRevision\" : " + kv.getModRevision());
        o.println("\"" + prefix + "Version\" : " + kv.getVersion());
        o.println("\"" + prefix + "Value\" : " + GoText.quote(kv.getValue().toByteArray()));
        o.println("\"" + prefix + "Lease\" : " + kv.getLease());
    }

    public static void line(Output o, String name, Object value) {
        o.println("\"" + name + "\" : " + value);
    }

    public static void quoted(Output o, String name, String value) {
        o.println("\"" + name + "\" : " + GoText.quote(value));
    }
}
