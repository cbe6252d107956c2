package io.keyline.keyspace.quota;

import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;

/**
 * etcd's backend quota. A write is admitted while the store's size plus the write's cost stays
 * below the quota; one that would pass it raises the NOSPACE alarm. While that alarm is active the
 * store is "capped": puts and writing txns are refused, deletes and compaction still run so that
 * space can be freed.
 */
public final class SpaceQuota {
    /** etcd's estimate of a key's bookkeeping beyond its bytes. */
    static final int KV_OVERHEAD_BYTES = 256;

    private final long quotaBytes;

    public SpaceQuota(long quotaBytes) {
        this.quotaBytes = quotaBytes;
    }

    /** Whether a put fits; requests that cost nothing (reads, deletes, compaction) always do. */
    public boolean admits(long storeBytes, PutRequest put) {
        return admits(storeBytes, cost(put));
    }

    public boolean admits(long storeBytes, TxnRequest txn) {
        return admits(storeBytes, cost(txn));
    }

    private boolean admits(long storeBytes, long cost) {
        return cost == 0 || storeBytes + cost < quotaBytes;
    }

    static long cost(PutRequest put) {
        return put.getSerializedSize() + KV_OVERHEAD_BYTES;
    }

    /** As etcd counts it: the puts of the success branch, nested txns not included. */
    static long cost(TxnRequest txn) {
        long c = 0;
        for (RequestOp op : txn.getSuccessList()) {
            if (op.hasRequestPut()) {
                c += cost(op.getRequestPut());
            }
        }
        return c;
    }

    /** A txn made only of ranges on both branches runs even on a capped store; etcd counts a nested txn as a write. */
    public static boolean isReadOnly(TxnRequest txn) {
        return txn.getSuccessList().stream().allMatch(SpaceQuota::isReadOnly)
                && txn.getFailureList().stream().allMatch(SpaceQuota::isReadOnly);
    }

    private static boolean isReadOnly(RequestOp op) {
        return op.getRequestCase() == RequestOp.RequestCase.REQUEST_RANGE;
    }
}
