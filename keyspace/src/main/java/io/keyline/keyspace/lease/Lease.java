package io.keyline.keyspace.lease;

import java.nio.ByteBuffer;

/**
 * A granted lease as every member stores it: its id, its TTL in seconds (already raised to the minimum),
 * and the remaining TTL of its last checkpoint (0: none, the full TTL counts), as etcd's leasepb.Lease.
 * Expiry deadlines are not here: only the leader keeps time ({@link LeaseClock}).
 */
public record Lease(long id, long ttl, long remainingTtl) {
    /** etcd's RemainingTTL: what a new leader gives the lease, the checkpoint if there is one. */
    public long ttlForExpiry() {
        return remainingTtl > 0 ? remainingTtl : ttl;
    }

    Lease withRemainingTtl(long remaining) {
        return new Lease(id, ttl, remaining);
    }

    static byte[] key(long id) {
        return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
    }

    byte[] encode() {
        return ByteBuffer.allocate(3 * Long.BYTES).putLong(id).putLong(ttl).putLong(remainingTtl).array();
    }

    static Lease decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new Lease(b.getLong(), b.getLong(), b.getLong());
    }
}
