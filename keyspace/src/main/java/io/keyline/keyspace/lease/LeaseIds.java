package io.keyline.keyspace.lease;

import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd's idutil generator for server-chosen lease IDs: the member id's low 16 bits, then 40 bits of the
 * start time in milliseconds and an 8-bit counter that carries into them; positive, never 0. Members
 * differ in the prefix, and a restart starts above every id of the previous run (unless it ran faster
 * than 256 ids per millisecond).
 */
public final class LeaseIds {
    private static final int SUFFIX_BITS = 48;
    private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;
    private static final long TIMESTAMP_MASK = (1L << 40) - 1;

    private final long prefix;
    private final AtomicLong suffix;

    public LeaseIds(long memberId, long nowMillis) {
        this.prefix = (memberId & 0xffff) << SUFFIX_BITS;
        this.suffix = new AtomicLong((nowMillis & TIMESTAMP_MASK) << 8);
    }

    public long next() {
        long id;
        do {
            id = (prefix | (suffix.incrementAndGet() & SUFFIX_MASK)) & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }
}
