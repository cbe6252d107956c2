package io.keyline.etcdctl.output;

import io.keyline.api.mvccpb.KeyValue;

/** etcdctl's "simple" rendering of a key-value: key line, value line, raw bytes or --hex. */
public final class Simple {
    private Simple() {}

    public static void kv(Output o, boolean valueOnly, KeyValue kv) {
        byte[] k = kv.getKey().toByteArray();
        byte[] v = kv.getValue().toByteArray();
        if (o.hex()) {
            k = GoText.hexEscaped(k);
            v = GoText.hexEscaped(v);
        }
        if (!valueOnly) {
            o.printBytes(k);
            o.print("\n");
        }
        o.printBytes(v);
        o.print("\n");
    }
}
