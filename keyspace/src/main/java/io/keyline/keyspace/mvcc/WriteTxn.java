package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.mvccpb.KeyValue;

import java.util.ArrayList;
import java.util.List;

/**
 * One etcd write transaction inside a batch. All its writes share main revision {@code beginRev + 1} with subs
 * 0, 1, 2, ...; the revision is only taken (by {@link #end}) if it wrote something. Its reads see its own earlier
 * writes, at revision {@code beginRev + 1} once it has written.
 */
final class WriteTxn {
    private final BatchState s;
    final long beginRev;
    private int writes;

    WriteTxn(BatchState s) {
        this.s = s;
        this.beginRev = s.currentRev;
    }

    /** The revision this transaction reads at and reports: beginRev, or beginRev + 1 once it has written. */
    long rev() {
        return writes > 0 ? beginRev + 1 : beginRev;
    }

    boolean wrote() {
        return writes > 0;
    }

    ReadView view() {
        return s;
    }

    RangeResponse range(RangeRequest r) {
        return RangeOp.execute(s, rev(), r);
    }

    /** The visible KeyValues in {@code range} at {@link #rev()}, in key order. */
    List<KeyValue> visible(KeyRange range) {
        long at = rev();
        List<KeyValue> kvs = new ArrayList<>();
        s.index.forEach(range, ki -> {
            KeyIndex.Hit hit = ki.get(at);
            if (hit != null) {
                kvs.add(s.value(hit.modified()));
            }
            return true;
        });
        return kvs;
    }

    KeyValue get(ByteString key) {
        List<KeyValue> kvs = visible(KeyRange.single(key));
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    void put(ByteString key, ByteString value, long lease) {
        long main = beginRev + 1;
        KeyIndex ki = s.index.forWrite(key);
        KeyIndex.Hit prev = ki.get(main);
        Revision rev = new Revision(main, writes++);
        KeyValue kv = KeyValue.newBuilder()
                .setKey(key)
                .setValue(value)
                .setCreateRevision(prev == null ? main : prev.created().main())
                .setModRevision(main)
                .setVersion(prev == null ? 1 : prev.version() + 1)
                .setLease(lease)
                .build();
        ki.put(rev);
        s.write(rev, new BatchState.PendingWrite(kv, false));
        s.store.leases().keyWritten(key, lease);
    }

    /** Deletes every key visible in {@code range}, one tombstone each in key order; returns how many. */
    int deleteRange(KeyRange range) {
        long at = rev();
        List<ByteString> keys = new ArrayList<>();
        s.index.forEach(range, ki -> {
            if (ki.get(at) != null) {
                keys.add(ki.key);
            }
            return true;
        });
        for (ByteString key : keys) {
            Revision rev = new Revision(beginRev + 1, writes++);
            s.index.forWrite(key).tombstone(rev);
            // a tombstone's stored value is a KeyValue holding just the key, as in etcd
            s.write(rev, new BatchState.PendingWrite(KeyValue.newBuilder().setKey(key).build(), true));
            s.store.leases().keyDeleted(key);
        }
        return keys.size();
    }

    void end() {
        if (writes > 0) {
            s.currentRev = beginRev + 1;
        }
    }
}
