package io.keyline.keyspace.mvcc;

import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.keyspace.EtcdError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static io.keyline.keyspace.mvcc.Req.apply;
import static io.keyline.keyspace.mvcc.Req.bs;
import static io.keyline.keyspace.mvcc.Req.del;
import static io.keyline.keyspace.mvcc.Req.expectError;
import static io.keyline.keyspace.mvcc.Req.get;
import static io.keyline.keyspace.mvcc.Req.kvs;
import static io.keyline.keyspace.mvcc.Req.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PutDeleteTest {
    private static final long LEASE = 7;
    @TempDir
    Path dir;
    MvccStore store;

    @BeforeEach
    void open() {
        store = MvccStore.open(dir.resolve("db"), id -> id == LEASE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void newStoreIsAtRevisionOne() {
        assertEquals(1, store.currentRevision());
        assertEquals(-1, store.compactRevision());
        assertEquals(0, store.appliedIndex());
        assertEquals(1, store.range(get("a")).getHeader().getRevision());
        assertEquals(0, store.range(get("a")).getCount(), "a missing key is not an error");
    }

    @Test
    void putsTakeRevisionsAndCountVersions() {
        PutResponse first = apply(store, b -> b.put(put("a", "1")));
        assertEquals(2, first.getHeader().getRevision());
        assertFalse(first.hasPrevKv());
        PutResponse second = apply(store, b -> b.put(put("a", "2").toBuilder().setPrevKv(true).build()));
        assertEquals(3, second.getHeader().getRevision());
        assertEquals("a=1", kvs(List.of(second.getPrevKv())));
        assertEquals(1, second.getPrevKv().getVersion());
        var kv = store.range(get("a")).getKvs(0);
        assertEquals(List.of(2L, 3L, 2L), List.of(kv.getCreateRevision(), kv.getModRevision(), kv.getVersion()));
        assertEquals(3, store.currentRevision());
        assertEquals(2, store.appliedIndex());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ignore value on missing key, true, false, 0, KEY_NOT_FOUND",
            "ignore lease on missing key, false, true, 0, KEY_NOT_FOUND",
            "unknown lease, false, false, 5, LEASE_NOT_FOUND",
    })
    void failedPutLeavesNoTrace(String name, boolean ignoreValue, boolean ignoreLease, long lease, EtcdError e) {
        PutRequest p = PutRequest.newBuilder().setKey(bs("missing")).setIgnoreValue(ignoreValue)
                .setIgnoreLease(ignoreLease).setLease(lease).build();
        try (MvccBatch b = store.newBatch()) {
            expectError(e, () -> b.put(p));
            b.put(put("other", "x")); // the batch goes on: the failure did not take a revision
            b.commit(1, 1);
        }
        assertEquals(2, store.currentRevision());
        assertEquals(0, store.range(get("missing")).getCount());
        assertEquals(2, store.range(get("other")).getKvs(0).getModRevision());
    }

    @Test
    void ignoreValueAndIgnoreLeaseKeepOldFields() {
        apply(store, b -> b.put(put("a", "v").toBuilder().setLease(LEASE).build()));
        apply(store, b -> b.put(PutRequest.newBuilder().setKey(bs("a")).setIgnoreValue(true).build()));
        var kv = store.range(get("a")).getKvs(0);
        assertEquals("v", kv.getValue().toStringUtf8());
        assertEquals(0, kv.getLease(), "ignore_value alone replaces the lease");
        apply(store, b -> b.put(put("a", "w").toBuilder().setLease(LEASE).build()));
        apply(store, b -> b.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("z")).setIgnoreLease(true).build()));
        kv = store.range(get("a")).getKvs(0);
        assertEquals("z", kv.getValue().toStringUtf8());
        assertEquals(LEASE, kv.getLease());
        assertEquals(4, kv.getVersion());
    }

    @Test
    void deleteRangeTombstonesEveryKeyAtOneRevision() {
        apply(store, b -> b.put(put("a", "1")));
        apply(store, b -> b.put(put("b", "2")));
        apply(store, b -> b.put(put("c", "3")));
        DeleteRangeResponse resp = apply(store, b -> b.deleteRange(del("a", "c").toBuilder().setPrevKv(true).build()));
        assertEquals(5, resp.getHeader().getRevision());
        assertEquals(2, resp.getDeleted());
        assertEquals("a=1,b=2", kvs(resp.getPrevKvsList()));
        assertEquals(List.of("2.0", "3.0", "4.0", "5.0t", "5.1t"), store.storedRevisions());
        assertEquals("c=3", kvs(store.range(Req.range("\0", "\0").build())));
        assertEquals("a=1,b=2,c=3", kvs(store.range(Req.range("\0", "\0").setRevision(4).build())));
    }

    @Test
    void deleteOfNothingTakesNoRevision() {
        apply(store, b -> b.put(put("a", "1")));
        DeleteRangeResponse resp = apply(store, b -> b.deleteRange(del("x", "")));
        assertEquals(0, resp.getDeleted());
        assertEquals(2, resp.getHeader().getRevision());
        assertEquals(2, store.currentRevision());
    }

    @Test
    void recreatedKeyStartsANewGeneration() {
        apply(store, b -> b.put(put("a", "1")));
        apply(store, b -> b.put(put("a", "2")));
        apply(store, b -> b.deleteRange(del("a", "")));
        apply(store, b -> b.put(put("a", "3")));
        var kv = store.range(get("a")).getKvs(0);
        assertEquals(List.of(5L, 5L, 1L), List.of(kv.getCreateRevision(), kv.getModRevision(), kv.getVersion()));
    }

    @Test
    void callsInOneBatchSeeEachOtherAndReadersSeeOnlyCommits() {
        try (MvccBatch b = store.newBatch()) {
            assertEquals(2, b.put(put("a", "1")).getHeader().getRevision());
            assertEquals(2, b.put(put("a", "2").toBuilder().setPrevKv(true).build()).getPrevKv().getModRevision());
            assertEquals(0, store.range(get("a")).getCount(), "uncommitted write is invisible to readers");
            assertEquals(1, store.currentRevision());
            assertEquals(4, b.deleteRange(del("a", "")).getHeader().getRevision());
            assertEquals(5, b.put(put("a", "3")).getHeader().getRevision());
            b.commit(10, 2);
        }
        var kv = store.range(get("a")).getKvs(0);
        assertEquals(List.of(5L, 5L, 1L), List.of(kv.getCreateRevision(), kv.getModRevision(), kv.getVersion()));
        assertEquals("a=2", kvs(store.range(Req.range("a", "").setRevision(3).build())));
        assertEquals(10, store.appliedIndex());
        assertEquals(2, store.appliedTerm());
    }

    @Test
    void discardedBatchLeavesNoTrace() {
        apply(store, b -> b.put(put("a", "1")));
        int hash = store.hash();
        try (MvccBatch b = store.newBatch()) {
            b.put(put("a", "2"));
            b.put(put("b", "2"));
            b.deleteRange(del("a", ""));
        }
        assertEquals(2, store.currentRevision());
        assertEquals("a=1", kvs(store.range(Req.range("\0", "\0").build())));
        assertEquals(hash, store.hash());
        // the next batch starts from the committed state
        assertEquals(3, apply(store, b -> b.put(put("b", "3"))).getHeader().getRevision());
        assertEquals(1, store.range(get("b")).getKvs(0).getVersion());
        store.close();
        store = MvccStore.open(dir.resolve("db"));
        assertEquals("a=1,b=3", kvs(store.range(Req.range("\0", "\0").build())));
        assertTrue(store.range(get("a")).getKvs(0).getVersion() == 1);
    }
}
