package io.keyline.keyspace.lease;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.LeaseCheckpoint;
import io.keyline.api.etcdserverpb.LeaseCheckpointRequest;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseGrantResponse;
import io.keyline.api.etcdserverpb.LeaseRevokeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseStoreTest {
    @TempDir
    Path dir;
    LeaseStore leases = new LeaseStore();
    MvccStore store;

    @BeforeEach
    void open() {
        store = MvccStore.open(dir.resolve("db"), leases);
        leases.load(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        leases.clear();
        open();
    }

    private <T> T apply(Function<MvccBatch, T> call) {
        try (MvccBatch b = store.newBatch()) {
            T out = call.apply(b);
            b.commit(store.appliedIndex() + 1, 1);
            return out;
        }
    }

    private LeaseGrantResponse grant(long id, long ttl) {
        return apply(b -> leases.grant(b, LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build()));
    }

    private long revoke(long id) {
        return apply(b -> leases.revoke(b, LeaseRevokeRequest.newBuilder().setID(id).build())).getHeader().getRevision();
    }

    private void put(String key, long lease) {
        apply(b -> b.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs("v")).setLease(lease).build()));
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private List<String> keys(long id) {
        return leases.keys(id).stream().map(ByteString::toStringUtf8).toList();
    }

    private long count(String key) {
        return store.range(RangeRequest.newBuilder().setKey(bs(key)).build()).getCount();
    }

    private static EtcdError error(Runnable r) {
        return assertThrows(KeyspaceException.class, r::run).error();
    }

    @ParameterizedTest(name = "asked {0}s, granted {1}s")
    @CsvSource({"-5, 2", "0, 2", "1, 2", "2, 2", "10, 10", "9000000000, 9000000000"})
    void grantRaisesTtlsBelowTheMinimum(long asked, long granted) {
        assertEquals(granted, grant(1, asked).getTTL());
        assertEquals(granted, leases.get(1).orElseThrow().ttl());
    }

    @Test
    void grantRefusesWhatEtcdRefuses() {
        grant(1, 10);
        assertEquals(EtcdError.LEASE_EXISTS, error(() -> grant(1, 10)));
        assertEquals(EtcdError.LEASE_TTL_TOO_LARGE, error(() -> grant(2, LeaseLimits.MAX_TTL_SECONDS + 1)));
        assertEquals(EtcdError.LEASE_NOT_FOUND, error(() -> grant(0, 10)));
        assertEquals(EtcdError.LEASE_NOT_FOUND, error(() -> revoke(3)));
    }

    @Test
    void putAttachesOverwriteMovesDeleteDetaches() {
        grant(1, 10);
        grant(2, 10);
        put("a", 1);
        put("b", 1);
        put("c", 2);
        assertEquals(List.of("a", "b"), keys(1));
        put("a", 2);
        assertEquals(List.of("b"), keys(1));
        assertEquals(List.of("a", "c"), keys(2));
        put("c", 0);
        assertEquals(List.of("a"), keys(2));
        apply(b -> b.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("a")).build()));
        assertEquals(List.of(), keys(2));
    }

    @Test
    void ignoreLeaseKeepsTheCurrentLease() {
        grant(1, 10);
        put("a", 1);
        apply(b -> b.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("w")).setIgnoreLease(true).build()));
        assertEquals(List.of("a"), keys(1));
    }

    @Test
    void putWithAnUnknownLeaseFails() {
        assertEquals(EtcdError.LEASE_NOT_FOUND, error(() -> put("a", 9)));
        TxnRequest txn = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
                PutRequest.newBuilder().setKey(bs("a")).setLease(9))).build();
        assertEquals(EtcdError.LEASE_NOT_FOUND, error(() -> apply(b -> b.txn(txn))));
    }

    @Test
    void revokeDeletesEveryAttachedKeyAtOneRevision() {
        grant(1, 10);
        put("b", 1);
        put("a", 1);
        put("other", 0);
        long before = store.currentRevision();
        long rev = revoke(1);
        assertEquals(before + 1, rev, "one revision for all the deletes");
        assertEquals(0, count("a"));
        assertEquals(0, count("b"));
        assertEquals(1, count("other"));
        assertFalse(leases.exists(1));
        assertEquals(List.of(), keys(1));
    }

    @Test
    void revokeOfALeaseWithoutKeysTakesNoRevision() {
        grant(1, 10);
        long before = store.currentRevision();
        assertEquals(before, revoke(1));
    }

    @Test
    void grantPutAndRevokeInOneBatchSeeEachOther() {
        long rev = apply(b -> {
            leases.grant(b, LeaseGrantRequest.newBuilder().setID(5).setTTL(10).build());
            b.put(PutRequest.newBuilder().setKey(bs("k")).setLease(5).build());
            return leases.revoke(b, LeaseRevokeRequest.newBuilder().setID(5).build()).getHeader().getRevision();
        });
        assertEquals(3, rev);
        assertEquals(0, count("k"));
    }

    @Test
    void leasesAttachmentsAndCheckpointsSurviveReopen() {
        grant(1, 10);
        grant(2, 20);
        put("a", 1);
        put("b", 2);
        put("b", 1);
        put("c", 2);
        apply(b -> b.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("c")).build()));
        apply(b -> leases.checkpoint(b, LeaseCheckpointRequest.newBuilder().addCheckpoints(
                LeaseCheckpoint.newBuilder().setID(2).setRemainingTTL(7)).build()));
        revoke(2);
        grant(3, 30);
        reopen();
        assertEquals(List.of(1L, 3L), leases.all().stream().map(Lease::id).sorted().toList());
        assertEquals(List.of("a", "b"), keys(1));
        assertTrue(leases.keys(2).isEmpty());
        assertEquals(10, leases.get(1).orElseThrow().ttl());
    }

    @Test
    void aStoreCheckpointCarriesLeasesAndAttachmentsAndARestoreKeepsThem() {
        grant(1, 10);
        put("a", 1);
        Path snapshot = dir.resolve("snapshot");
        store.checkpoint(snapshot);
        LeaseStore installed = new LeaseStore();
        try (MvccStore copy = MvccStore.open(snapshot, installed)) {
            installed.load(copy);
            assertEquals(List.of(ByteString.copyFromUtf8("a")), installed.keys(1));
            copy.forgetReplicationState();
        }
        LeaseStore restored = new LeaseStore();
        try (MvccStore copy = MvccStore.open(snapshot, restored)) {
            restored.load(copy);
            assertTrue(restored.exists(1), "a snapshot restore keeps the leases, as etcdctl snapshot restore does");
            assertEquals(List.of(ByteString.copyFromUtf8("a")), restored.keys(1));
        }
    }

    @Test
    void checkpointIsStoredAndRestored() {
        grant(1, 100);
        apply(b -> leases.checkpoint(b, LeaseCheckpointRequest.newBuilder().addCheckpoints(
                LeaseCheckpoint.newBuilder().setID(1).setRemainingTTL(40)).addCheckpoints(
                LeaseCheckpoint.newBuilder().setID(99).setRemainingTTL(5)).build()));
        reopen();
        assertEquals(40, leases.get(1).orElseThrow().remainingTtl());
        assertEquals(40, leases.get(1).orElseThrow().ttlForExpiry());
        assertFalse(leases.exists(99));
    }
}
