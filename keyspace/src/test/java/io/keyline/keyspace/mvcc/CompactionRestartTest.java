package io.keyline.keyspace.mvcc;

import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.keyspace.EtcdError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static io.keyline.keyspace.mvcc.Req.apply;
import static io.keyline.keyspace.mvcc.Req.del;
import static io.keyline.keyspace.mvcc.Req.expectError;
import static io.keyline.keyspace.mvcc.Req.get;
import static io.keyline.keyspace.mvcc.Req.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History: 2 put a, 3 put b, 4 put a, 5 delete b, 6 put c, 7 put a, 8 delete c, 9 put b (current 9).
 */
class CompactionRestartTest {
    @TempDir
    Path dir;
    MvccStore store;

    @BeforeEach
    void open() {
        store = MvccStore.open(dir.resolve("db"));
        apply(store, b -> b.put(put("a", "a2")));
        apply(store, b -> b.put(put("b", "b3")));
        apply(store, b -> b.put(put("a", "a4")));
        apply(store, b -> b.deleteRange(del("b", "")));
        apply(store, b -> b.put(put("c", "c6")));
        apply(store, b -> b.put(put("a", "a7")));
        apply(store, b -> b.deleteRange(del("c", "")));
        apply(store, b -> b.put(put("b", "b9")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = MvccStore.open(dir.resolve("db"));
    }

    private static CompactionRequest compact(long rev) {
        return CompactionRequest.newBuilder().setRevision(rev).setPhysical(true).build();
    }

    private List<RangeResponse> readsFrom(long rev) {
        List<RangeResponse> out = new ArrayList<>();
        for (long r = rev; r <= store.currentRevision(); r++) {
            out.add(store.range(Req.range("\0", "\0").setRevision(r).build()));
        }
        return out;
    }

    @ParameterizedTest(name = "compact({0})")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void readsAtAndAfterCompactionAreUnchanged(long rev) {
        List<RangeResponse> before = readsFrom(rev);
        assertEquals(9, apply(store, b -> b.compact(compact(rev))).getHeader().getRevision());
        assertEquals(rev, store.compactRevision());
        assertEquals(9, store.currentRevision(), "compaction takes no revision");
        assertEquals(before, readsFrom(rev));
        if (rev > 1) {
            expectError(EtcdError.COMPACTED, () -> store.range(Req.range("a", "").setRevision(rev - 1).build()));
        }
        reopen();
        assertEquals(rev, store.compactRevision());
        assertEquals(9, store.currentRevision());
        assertEquals(before, readsFrom(rev));
    }

    @Test
    void physicalCompactionDeletesWhatNoReadNeeds() {
        apply(store, b -> b.compact(compact(5)));
        // a keeps 4 (visible at 5) and 7; b's first life ended at 5 so 3 and the tombstone go; c, b9 are newer
        assertEquals(List.of("4.0", "6.0", "7.0", "8.0t", "9.0"), store.storedRevisions());
        apply(store, b -> b.compact(compact(8)));
        assertEquals(List.of("7.0", "9.0"), store.storedRevisions());
        assertEquals(2, store.indexSize(), "c is gone from the index");
        reopen();
        assertEquals(2, store.indexSize());
        var a = store.range(get("a")).getKvs(0);
        assertEquals(List.of(2L, 7L, 3L), List.of(a.getCreateRevision(), a.getModRevision(), a.getVersion()));
        // versions continue from the stored value after a restart of a compacted store
        apply(store, b -> b.put(put("a", "a10")));
        a = store.range(get("a")).getKvs(0);
        assertEquals(List.of(2L, 10L, 4L), List.of(a.getCreateRevision(), a.getModRevision(), a.getVersion()));
    }

    @Test
    void compactionErrors() {
        expectError(EtcdError.FUTURE_REV, () -> apply(store, b -> b.compact(compact(10))));
        apply(store, b -> b.compact(compact(4)));
        expectError(EtcdError.COMPACTED, () -> apply(store, b -> b.compact(compact(4))));
        expectError(EtcdError.COMPACTED, () -> apply(store, b -> b.compact(compact(3))));
        expectError(EtcdError.COMPACTED, () -> store.hashKV(3));
        expectError(EtcdError.FUTURE_REV, () -> store.hashKV(10));
    }

    @Test
    void compactionInTheSameBatchAsWrites() {
        try (MvccBatch b = store.newBatch()) {
            b.deleteRange(del("a", ""));                      // 10
            b.put(put("d", "d11"));                           // 11
            b.compact(compact(11));
            b.put(put("d", "d12"));                           // 12
            expectError(EtcdError.COMPACTED, () -> b.txn(io.keyline.api.etcdserverpb.TxnRequest.newBuilder()
                    .addSuccess(Req.op(Req.range("a", "").setRevision(10).build())).build()));
            b.commit(20, 1);
        }
        assertEquals(List.of("9.0", "11.0", "12.0"), store.storedRevisions());
        reopen();
        assertEquals(11, store.compactRevision());
        assertEquals(12, store.currentRevision());
        assertEquals(20, store.appliedIndex());
        assertEquals(2, store.range(get("d")).getKvs(0).getVersion());
    }

    @Test
    void deletingEverythingAndCompactingKeepsTheRevision() {
        apply(store, b -> b.deleteRange(del("\0", "\0")));
        apply(store, b -> b.compact(compact(10)));
        assertEquals(List.of(), store.storedRevisions());
        reopen();
        assertEquals(10, store.currentRevision());
        assertEquals(0, store.indexSize());
        assertEquals(11, apply(store, b -> b.put(put("a", "x"))).getHeader().getRevision());
    }

    @Test
    void hashKVIsStableAcrossRestartAndMatchesEtcdFormula() throws Exception {
        HashKV h = store.hashKV(0);
        assertEquals(new HashKV(h.hash(), -1, 9, 9), h);
        assertEquals(h, store.hashKV(9));
        HashKV at5 = store.hashKV(5);
        assertNotEquals(h.hash(), at5.hash());
        int all = store.hash();
        reopen();
        assertEquals(h, store.hashKV(0));
        assertEquals(at5, store.hashKV(5));
        assertEquals(all, store.hash());

        apply(store, b -> b.compact(compact(5)));
        HashKV afterCompact = store.hashKV(0);
        assertEquals(5, afterCompact.compactRevision());
        reopen();
        assertEquals(afterCompact, store.hashKV(0));
    }

    @Test
    void hashKVOfOnePutIsCrc32cOfKeyBucketRevKeyAndValue() {
        Path fresh = dir.resolve("fresh");
        try (MvccStore s = MvccStore.open(fresh)) {
            apply(s, b -> b.put(put("k", "v")));
            CRC32C crc = new CRC32C();
            crc.update("key".getBytes());
            crc.update(RevKeys.encode(new Revision(2, 0), false));
            crc.update(s.range(get("k")).getKvs(0).toByteArray());
            assertEquals((int) crc.getValue(), s.hashKV(0).hash());
        }
    }

    @Test
    void checkpointOpensAsTheSameStore() {
        apply(store, b -> b.compact(compact(4)));
        Path cp = dir.resolve("cp");
        store.checkpoint(cp);
        assertTrue(Files.isDirectory(cp));
        try (MvccStore copy = MvccStore.open(cp)) {
            assertEquals(store.hashKV(0), copy.hashKV(0));
            assertEquals(store.hash(), copy.hash());
            assertEquals(store.appliedIndex(), copy.appliedIndex());
        }
        assertTrue(store.dbSize() > 0);
        assertTrue(store.dbSizeInUse() > 0);
    }
}
