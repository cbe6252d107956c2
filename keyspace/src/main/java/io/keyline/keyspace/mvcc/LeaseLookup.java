package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;

/**
 * The seam to the lease store: a put naming a lease fails with LEASE_NOT_FOUND unless the lease exists,
 * and every write tells it which lease a key is now attached to, as etcd's store attaches and detaches
 * keys on its lessor. Restoring a store replays its history through the same calls, so the attachments
 * are rebuilt from the KeyValue lease fields, as etcd rebuilds them. {@link #NONE} says no lease exists.
 */
@FunctionalInterface
public interface LeaseLookup {
    LeaseLookup NONE = id -> false;

    boolean exists(long leaseId);

    /** {@code key} was put with {@code leaseId} (0: no lease): it leaves any lease it had. */
    default void keyWritten(ByteString key, long leaseId) {
    }

    /** {@code key} was deleted: it leaves any lease it had. */
    default void keyDeleted(ByteString key) {
    }
}
