package io.keyline.benchmark.mvcc;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.benchmark.report.Report;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import java.security.SecureRandom;

/**
 * The measured loop of "mvcc put" against an open MvccStore. Writes accumulate in one MvccBatch,
 * as the gateway's group commit puts several requests in one log entry, and the batch commits (one
 * RocksDB WriteBatch) when it holds batchLimit requests or is batchInterval old; the request that
 * triggers a commit pays for it. etcd's backend commits its batch in the background instead.
 */
final class MvccPutRun {
    private final MvccStore store;
    private final int batchLimit;
    private final long batchIntervalNanos;
    private MvccBatch batch;
    private int inBatch;
    private long batchOpened;
    private long appliedIndex;

    MvccPutRun(MvccStore store, int batchLimit, long batchIntervalMillis) {
        this.store = store;
        this.batchLimit = Math.max(1, batchLimit);
        this.batchIntervalNanos = batchIntervalMillis * 1_000_000L;
        this.appliedIndex = store.appliedIndex();
    }

    static byte[][] randomBytes(int size, int n) {
        SecureRandom rnd = new SecureRandom();
        byte[][] b = new byte[n][size];
        for (byte[] x : b) {
            rnd.nextBytes(x);
        }
        return b;
    }

    /** Runs total requests, each a put, or a txn of txnOps puts; weighted counts operations, base requests. */
    void run(int total, boolean txn, int txnOps, byte[][] keys, byte[][] vals, Report weighted, Report base) {
        int ops = txn ? txnOps : 1;
        weighted.start();
        base.start();
        for (int i = 0; i < total; i++) {
            long st = System.nanoTime();
            MvccBatch b = batch(st);
            if (txn) {
                TxnRequest.Builder t = TxnRequest.newBuilder();
                for (int j = 0; j < ops; j++) {
                    t.addSuccess(RequestOp.newBuilder().setRequestPut(put(keys[i * ops + j], vals[i * ops + j])));
                }
                b.txn(t.build());
            } else {
                b.put(put(keys[i], vals[i]).build());
            }
            if (++inBatch >= batchLimit || System.nanoTime() - batchOpened >= batchIntervalNanos) {
                commit();
            }
            long end = System.nanoTime();
            weighted.record(st, end, ops);
            base.record(st, end);
        }
        commit();
    }

    private static PutRequest.Builder put(byte[] k, byte[] v) {
        return PutRequest.newBuilder().setKey(ByteString.copyFrom(k)).setValue(ByteString.copyFrom(v));
    }

    private MvccBatch batch(long now) {
        if (batch == null) {
            batch = store.newBatch();
            batchOpened = now;
            inBatch = 0;
        }
        return batch;
    }

    private void commit() {
        if (batch != null) {
            batch.commit(++appliedIndex, 1);
            batch = null;
        }
    }
}
