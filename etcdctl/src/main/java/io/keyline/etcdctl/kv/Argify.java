package io.keyline.etcdctl.kv;

import java.util.List;

/** etcdctl's splitting of an input line into words (txn requests, interactive watch). */
public final class Argify {
    private Argify() {}

    public static List<String> split(String line) {
        return TxnParser.argify(line);
    }
}
