package io.keyline.keyspace.watch;

import com.google.protobuf.ByteString;

import java.util.Comparator;

/**
 * The keys one watcher covers: a single key, or [start, end) with a null end meaning "no upper bound" (etcd's
 * range_end of one zero byte). Keys compare as unsigned bytes, as etcd's do.
 */
record KeyInterval(ByteString start, ByteString end, boolean single) {
    static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    /** Null when the range is empty (range_end <= key), which etcd refuses. An empty key is etcd's "\x00". */
    static KeyInterval of(ByteString requestedKey, ByteString rangeEnd) {
        ByteString key = requestedKey.isEmpty() ? ZERO : requestedKey;
        if (rangeEnd.isEmpty()) {
            return new KeyInterval(key, null, true);
        }
        if (rangeEnd.equals(ZERO)) {
            return new KeyInterval(key, null, false);
        }
        if (ORDER.compare(key, rangeEnd) >= 0) {
            return null;
        }
        return new KeyInterval(key, rangeEnd, false);
    }

    boolean contains(ByteString key) {
        if (single) {
            return start.equals(key);
        }
        return ORDER.compare(key, start) >= 0 && (end == null || ORDER.compare(key, end) < 0);
    }
}
