package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseRevokeRequest;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.replication.proto.LeaseQuery;
import io.keyline.replication.proto.LeaseQueryResult;
import io.keyline.replication.proto.LogRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessorTest {
    @TempDir
    Path dir;
    Lessor lessor = new Lessor(0);
    MvccStore store;
    final List<LogRequest> proposed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = MvccStore.open(dir.resolve("kv"), lessor.store());
        lessor.store().load(store);
        lessor.start(r -> {
            proposed.add(r);
            return new CompletableFuture<>();
        });
    }

    @AfterEach
    void close() {
        lessor.close();
        store.close();
    }

    private void apply(Consumer<MvccBatch> call) {
        try (MvccBatch b = store.newBatch()) {
            call.accept(b);
            b.commit(store.appliedIndex() + 1, 1);
        }
    }

    private void grant(long id, long ttl) {
        apply(b -> lessor.grant(b, LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build()));
    }

    private LeaseQueryResult ask(LeaseQuery q) throws Exception {
        return lessor.answer(q).get(5, TimeUnit.SECONDS);
    }

    private static LeaseQuery renew(long id) {
        return LeaseQuery.newBuilder().setRenew(id).build();
    }

    @Test
    void onlyThePrimaryRenewsAndAnswersTimeToLive() throws Exception {
        grant(1, 10);
        assertTrue(ask(renew(1)).getNotPrimary());
        lessor.promote();
        assertEquals(10, ask(renew(1)).getRenewedTtl());
        assertEquals(EtcdError.LEASE_NOT_FOUND.name(), ask(renew(2)).getError());
        lessor.demote();
        assertTrue(ask(renew(1)).getNotPrimary());
    }

    @Test
    void timeToLiveCountsDownFromTheGrantAndListsTheKeys() throws Exception {
        lessor.promote();
        grant(1, 10);
        apply(b -> b.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setLease(1).build()));
        LeaseQueryResult r = ask(LeaseQuery.newBuilder().setTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(1).setKeys(true)).build());
        assertEquals(10, r.getTimeToLive().getGrantedTTL());
        assertTrue(r.getTimeToLive().getTTL() == 9 || r.getTimeToLive().getTTL() == 10, r.toString());
        assertEquals(List.of(ByteString.copyFromUtf8("k")), r.getTimeToLive().getKeysList());
    }

    @Test
    void anExpiredLeaseIsProposedForRevokeAndItsRenewalWaitsForTheRevoke() throws Exception {
        lessor.promote();
        grant(1, 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proposed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(LogRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(1)).build(),
                proposed.get(0), "the leader proposes the revoke; nothing is deleted without the log");
        assertTrue(lessor.store().exists(1));
        CompletableFuture<LeaseQueryResult> renewal = lessor.answer(renew(1));
        assertFalse(renewal.isDone(), "an expired lease is not renewed while its revoke is pending");
        apply(b -> lessor.revoke(b, LeaseRevokeRequest.newBuilder().setID(1).build()));
        assertEquals(EtcdError.LEASE_NOT_FOUND.name(), renewal.get(5, TimeUnit.SECONDS).getError());
    }

    @Test
    void aPendingRenewalOfAnExpiredLeaseIsRetriedElsewhereWhenDemoted() throws Exception {
        lessor.promote();
        grant(1, 2);
        Thread.sleep(2_200);
        CompletableFuture<LeaseQueryResult> renewal = lessor.answer(renew(1));
        lessor.demote();
        assertTrue(renewal.get(5, TimeUnit.SECONDS).getNotPrimary());
    }
}
