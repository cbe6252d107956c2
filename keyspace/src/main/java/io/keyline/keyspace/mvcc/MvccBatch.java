package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.CompactionResponse;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.TxnResponse;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The writes of one Raft log entry. Each call is one etcd transaction with its own revision (if it writes);
 * later calls see earlier calls' writes; an etcd-level failure ({@link KeyspaceException}) leaves no effect of
 * its call. Nothing is visible to readers or durable until {@link #commit}, which writes one RocksDB WriteBatch.
 * Closing without commit discards everything. Only the store's single writer thread may use a batch, and only one
 * batch may be open at a time.
 */
public final class MvccBatch implements AutoCloseable {
    private final Map<String, byte[]> attachments = new LinkedHashMap<>();
    /** Bucket records to write, by their meta key; a null value deletes the record. */
    private final Map<ByteBuffer, byte[]> bucketWrites = new LinkedHashMap<>();
    private final MvccStore store;
    private final BatchState s;
    private boolean closed;

    MvccBatch(MvccStore store, BatchState state) {
        this.store = store;
        this.s = state;
    }

    public PutResponse put(PutRequest r) {
        WriteTxn t = begin();
        KvOps.checkPut(t, r, store.leases());
        PutResponse resp = KvOps.put(t, r);
        t.end();
        return resp;
    }

    public DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
        WriteTxn t = begin();
        DeleteRangeResponse resp = KvOps.deleteRange(t, r);
        t.end();
        return resp;
    }

    public TxnResponse txn(TxnRequest r) {
        WriteTxn t = begin();
        TxnResponse resp = TxnOp.apply(t, r, store.leases());
        t.end();
        return resp;
    }

    /**
     * Deletes each of {@code keys} that exists, in the order given, as one etcd write transaction: one
     * revision for all, as etcd's lessor deletes a revoked lease's keys. Returns the revision after it.
     */
    public long deleteKeys(Collection<ByteString> keys) {
        WriteTxn t = begin();
        for (ByteString key : keys) {
            t.deleteRange(KeyRange.single(key));
        }
        t.end();
        return s.currentRev;
    }

    /** The store's revision as this batch has left it so far. */
    public long currentRevision() {
        return s.currentRev;
    }

    /**
     * Physical compaction at r.revision: afterwards reads below it fail with COMPACTED, and every rev entry at or
     * below it that no read at or after it can see is deleted. Does not take a revision.
     */
    public CompactionResponse compact(CompactionRequest r) {
        ensureOpen();
        long rev = r.getRevision();
        if (rev <= s.compactRev) {
            throw new KeyspaceException(EtcdError.COMPACTED);
        }
        if (rev > s.currentRev) {
            throw new KeyspaceException(EtcdError.FUTURE_REV);
        }
        Set<Revision> keep = TreeIndex.keep(s.index, rev);
        try (RocksIterator it = store.newRevIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                Revision kr = RevKeys.decode(key);
                if (kr.main() > rev) {
                    break;
                }
                if (!keep.contains(kr)) {
                    s.deletions.add(key);
                }
            }
        }
        s.pending.headMap(new Revision(rev + 1, 0), false).keySet().removeIf(kr -> !keep.contains(kr));
        s.compactions.add(rev);
        s.compactRev = rev;
        return CompactionResponse.newBuilder().setHeader(KvOps.header(s.currentRev)).build();
    }

    /**
     * Records state that is not the keyspace's but must change atomically with the applied index (the
     * replication layer's member directory); read back with {@link MvccStore#attachment}.
     */
    public void putAttachment(String name, byte[] value) {
        ensureOpen();
        attachments.put(name, value);
    }

    /** Puts a record in {@code bucket}; committed with this batch, read back with {@link MvccStore#forEachInBucket}. */
    public void putInBucket(String bucket, byte[] key, byte[] value) {
        ensureOpen();
        bucketWrites.put(ByteBuffer.wrap(Meta.bucketKey(bucket, key)), value);
    }

    public void deleteFromBucket(String bucket, byte[] key) {
        ensureOpen();
        bucketWrites.put(ByteBuffer.wrap(Meta.bucketKey(bucket, key)), null);
    }

    /**
     * Writes everything this batch did, the applied index/term and the revision meta in one RocksDB WriteBatch,
     * then makes it visible to readers and hands its events to the store's {@link CommitListener}. Closes the batch. A failure here is a storage failure: stop the node.
     */
    public void commit(long appliedIndex, long appliedTerm) {
        ensureOpen();
        closed = true;
        try (WriteBatch wb = new WriteBatch()) {
            for (byte[] key : s.deletions) {
                wb.delete(store.revCf(), key);
            }
            for (Map.Entry<Revision, BatchState.PendingWrite> e : s.pending.entrySet()) {
                wb.put(store.revCf(), RevKeys.encode(e.getKey(), e.getValue().tombstone()),
                        e.getValue().kv().toByteArray());
            }
            for (Map.Entry<String, byte[]> a : attachments.entrySet()) {
                wb.put(store.metaCf(), Meta.attachmentKey(a.getKey()), a.getValue());
            }
            for (Map.Entry<ByteBuffer, byte[]> b : bucketWrites.entrySet()) {
                if (b.getValue() == null) {
                    wb.delete(store.metaCf(), b.getKey().array());
                } else {
                    wb.put(store.metaCf(), b.getKey().array(), b.getValue());
                }
            }
            wb.put(store.metaCf(), Meta.APPLIED_INDEX, Meta.encode(appliedIndex));
            wb.put(store.metaCf(), Meta.APPLIED_TERM, Meta.encode(appliedTerm));
            wb.put(store.metaCf(), Meta.CURRENT_REVISION, Meta.encode(s.currentRev));
            if (!s.compactions.isEmpty()) {
                wb.put(store.metaCf(), Meta.SCHEDULED_COMPACT_REVISION, Meta.encode(s.compactRev));
                wb.put(store.metaCf(), Meta.COMPACT_REVISION, Meta.encode(s.compactRev));
            }
            store.publish(wb, s, appliedIndex, appliedTerm);
        } catch (org.rocksdb.RocksDBException e) {
            throw new IllegalStateException("commit of batch failed", e);
        } finally {
            store.batchClosed(this);
        }
        if (!s.events.isEmpty()) {
            store.commitListener().committed(s.currentRev, s.events);
        }
    }

    /** Discards the batch if it was not committed: nothing of it was ever written or published. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            store.batchClosed(this);
        }
    }

    private WriteTxn begin() {
        ensureOpen();
        return new WriteTxn(s);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("batch is closed");
        }
    }
}
