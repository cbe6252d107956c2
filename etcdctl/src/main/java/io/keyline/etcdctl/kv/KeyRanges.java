package io.keyline.etcdctl.kv;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** etcd's key-range conventions: a prefix is [key, key+1), "from key" is [key, "\0"). */
public final class KeyRanges {
    static final ByteString ALL_AFTER = ByteString.copyFrom(new byte[] {0});

    private KeyRanges() {}

    /** A key and range end as get and del send them; a null end leaves the request's own end alone. */
    record Span(ByteString key, ByteString end) {}

    /**
     * --prefix and --from-key as etcdctl applies them to a key: an empty key with either means
     * every key ("\0" to "\0"); otherwise the prefix's end or "\0".
     */
    static Span span(ByteString key, boolean prefix, boolean fromKey) {
        Span span = new Span(key, null);
        if (prefix) {
            span = key.isEmpty() ? new Span(ALL_AFTER, ALL_AFTER) : new Span(key, prefixEnd(key));
        }
        if (fromKey) {
            span = new Span(span.key().isEmpty() ? ALL_AFTER : span.key(), ALL_AFTER);
        }
        return span;
    }

    static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** The end of the range of keys starting with prefix; "\0" (all keys) when no such end exists. */
    public static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i]++;
                return ByteString.copyFrom(Arrays.copyOf(end, i + 1));
            }
        }
        return ALL_AFTER;
    }
}
