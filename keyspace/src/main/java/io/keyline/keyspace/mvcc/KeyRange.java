package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;

import java.util.Collections;
import java.util.Comparator;
import java.util.NavigableMap;

/**
 * The keys a request addresses, from etcd's (key, range_end) pair: an empty range_end means the single key; a
 * range_end of one zero byte means every key >= key; otherwise the half-open interval [key, range_end), which is
 * empty when range_end <= key.
 *
 * @param end exclusive upper bound, or null for "no upper bound"; ignored when {@code single}
 */
record KeyRange(ByteString start, ByteString end, boolean single) {
    /** Unsigned byte order, as etcd's btree; protobuf's own comparator allocates two iterators per call. */
    static final Comparator<ByteString> ORDER = KeyRange::compareUnsigned;
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    static KeyRange of(ByteString key, ByteString rangeEnd) {
        if (rangeEnd.isEmpty()) {
            return new KeyRange(key, null, true);
        }
        if (rangeEnd.equals(ZERO)) {
            return new KeyRange(key, null, false);
        }
        return new KeyRange(key, rangeEnd, false);
    }

    static KeyRange single(ByteString key) {
        return new KeyRange(key, null, true);
    }

    private static int compareUnsigned(ByteString a, ByteString b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int x = a.byteAt(i) & 0xff;
            int y = b.byteAt(i) & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /**
     * The entries of {@code map} (ordered by {@link #ORDER}) inside this range, which is an interval: a
     * single key is looked up, not sliced (see {@link IndexView#forEach}).
     */
    <V> NavigableMap<ByteString, V> slice(NavigableMap<ByteString, V> map) {
        if (single) {
            throw new IllegalStateException("a single key is looked up, not sliced");
        }
        if (end == null) {
            return map.tailMap(start, true);
        }
        if (ORDER.compare(start, end) >= 0) {
            return Collections.emptyNavigableMap();
        }
        return map.subMap(start, true, end, false);
    }
}
