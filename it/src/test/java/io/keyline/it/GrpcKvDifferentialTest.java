package io.keyline.it;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseGrpc;
import io.keyline.api.etcdserverpb.LeaseLeasesRequest;
import io.keyline.api.etcdserverpb.LeaseRevokeRequest;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Raw etcd v3 gRPC calls that etcdctl cannot express: Keyline returns the same full response
 * protobuf (header ids and raft term masked) or the same gRPC status code and description as real
 * etcd 3.4 with default limits (--max-request-bytes 1.5 MiB, --max-txn-ops 128).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcKvDifferentialTest {

    private DifferentialPair pair;

    @BeforeAll
    void start() {
        pair = DifferentialPair.start("grpc");
    }

    @AfterEach
    void verify() {
        pair.assertNoMismatches();
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    static ByteString b(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build();
    }

    static RequestOp putOp(String k, String v) {
        return RequestOp.newBuilder().setRequestPut(put(k, v)).build();
    }

    static RequestOp rangeOp(RangeRequest r) {
        return RequestOp.newBuilder().setRequestRange(r).build();
    }

    static RequestOp deleteOp(String k, String end) {
        DeleteRangeRequest.Builder d = DeleteRangeRequest.newBuilder().setKey(b(k)).setPrevKv(true);
        if (end != null) {
            d.setRangeEnd(b(end));
        }
        return RequestOp.newBuilder().setRequestDeleteRange(d).build();
    }

    static RangeRequest get(String k) {
        return RangeRequest.newBuilder().setKey(b(k)).build();
    }

    static Compare cmp(String k, Compare.CompareResult r, Compare.CompareTarget t, long n) {
        Compare.Builder c = Compare.newBuilder().setKey(b(k)).setResult(r).setTarget(t);
        switch (t) {
            case VERSION -> c.setVersion(n);
            case CREATE -> c.setCreateRevision(n);
            case MOD -> c.setModRevision(n);
            case LEASE -> c.setLease(n);
            default -> throw new IllegalArgumentException(t.toString());
        }
        return c.build();
    }

    static String valueOfSize(int bytes) {
        return "x".repeat(bytes);
    }

    @Test
    @Order(1)
    void emptyKeyIsRejectedWithEtcdsInvalidArgument() {
        pair.same("Put empty key", s -> s.kv().put(put("", "v")));
        pair.same("Range empty key", s -> s.kv().range(get("")));
        pair.same("DeleteRange empty key", s -> s.kv().deleteRange(DeleteRangeRequest.newBuilder().build()));
        pair.same("Txn put empty key", s -> s.kv().txn(TxnRequest.newBuilder().addSuccess(putOp("", "v")).build()));
        pair.same("Txn compare empty key", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp("", Compare.CompareResult.EQUAL, Compare.CompareTarget.VERSION, 0)).build()));
        pair.same("Range empty key with range_end", s -> s.kv().range(
                RangeRequest.newBuilder().setRangeEnd(b("z")).build()));
        pair.same("Range key \\0 range_end \\0 (whole keyspace)", s -> s.kv().range(
                RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
                        .setRangeEnd(ByteString.copyFrom(new byte[] {0})).setCountOnly(true).build()));
    }

    @Test
    @Order(2)
    void oversizedRequestsFailLikeEtcd() {
        pair.same("Put 1.4 MiB value (accepted)", s -> s.kv().put(put("/big/ok", valueOfSize(1400 * 1024))));
        pair.same("Put 1.7 MiB value (above max-request-bytes, below gRPC limit)",
                s -> s.kv().put(put("/big/a", valueOfSize(1700 * 1024))));
        pair.same("Put 2.1 MiB value (above gRPC receive limit)",
                s -> s.kv().put(put("/big/b", valueOfSize(2100 * 1024))));
        pair.same("Txn carrying 1.7 MiB", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(putOp("/big/t", valueOfSize(1700 * 1024))).build()));
        pair.same("Range /big/ after oversized puts (count only)", s -> s.kv().range(
                RangeRequest.newBuilder().setKey(b("/big/")).setRangeEnd(b("/big0")).setKeysOnly(true).build()));
    }

    @Test
    @Order(3)
    void txnOpLimitsAndDuplicateKeysFailLikeEtcd() {
        TxnRequest.Builder ok = TxnRequest.newBuilder();
        TxnRequest.Builder tooMany = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            if (i < 128) {
                ok.addSuccess(putOp("/ops/" + i, "v"));
            }
            tooMany.addSuccess(putOp("/ops/" + i, "v"));
        }
        pair.same("Txn with 128 puts (max-txn-ops)", s -> s.kv().txn(ok.build()));
        pair.same("Txn with 129 puts", s -> s.kv().txn(tooMany.build()));
        TxnRequest.Builder manyCompares = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            manyCompares.addCompare(cmp("/ops/" + i, Compare.CompareResult.GREATER, Compare.CompareTarget.VERSION, 0));
        }
        pair.same("Txn with 129 compares", s -> s.kv().txn(manyCompares.build()));
        TxnRequest.Builder manyFailure = TxnRequest.newBuilder()
                .addCompare(cmp("/ops/0", Compare.CompareResult.EQUAL, Compare.CompareTarget.VERSION, 0));
        for (int i = 0; i < 129; i++) {
            manyFailure.addFailure(rangeOp(get("/ops/" + i)));
        }
        pair.same("Txn with 129 failure ranges", s -> s.kv().txn(manyFailure.build()));
        pair.same("Txn duplicate put", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(putOp("/dup/k", "1")).addSuccess(putOp("/dup/k", "2")).build()));
        pair.same("Txn put and delete of the same key", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(putOp("/dup/k", "1")).addSuccess(deleteOp("/dup/k", null)).build()));
        pair.same("Txn put inside deleted range", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(deleteOp("/dup/", "/dup0")).addSuccess(putOp("/dup/x", "1")).build()));
        pair.same("Txn duplicate put in failure branch", s -> s.kv().txn(TxnRequest.newBuilder()
                .addFailure(putOp("/dup/k", "1")).addFailure(putOp("/dup/k", "2")).build()));
        pair.same("Txn put same key in both branches (allowed)", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(putOp("/dup/k", "1")).addFailure(putOp("/dup/k", "2")).build()));
        pair.same("Txn two gets of the same key (allowed)", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(rangeOp(get("/dup/k"))).addSuccess(rangeOp(get("/dup/k"))).build()));
        pair.same("Nested txn with duplicate put across levels", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(putOp("/dup/n", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                        .addSuccess(putOp("/dup/n", "2")))).build()));
    }

    @Test
    @Order(4)
    void kubeApiserverTxnShapesReturnTheSameResponses() {
        String k = "/registry/pods/default/p1";
        pair.same("create: If create_revision(k)==0 Then put", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp(k, Compare.CompareResult.EQUAL, Compare.CompareTarget.MOD, 0))
                .addSuccess(putOp(k, "pod-v1")).build()));
        pair.same("create again (fails, empty else)", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp(k, Compare.CompareResult.EQUAL, Compare.CompareTarget.MOD, 0))
                .addSuccess(putOp(k, "pod-v1")).build()));
        long rev = Long.parseLong(pair.same("get k", s -> s.kv().range(get(k)))
                .replaceAll("(?s).*mod_revision: (\\d+).*", "$1"));
        pair.same("update: If mod_revision(k)==r Then put Else get (succeeds)", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp(k, Compare.CompareResult.EQUAL, Compare.CompareTarget.MOD, rev))
                .addSuccess(putOp(k, "pod-v2")).addFailure(rangeOp(get(k))).build()));
        pair.same("update with stale r (fails, returns current in else)", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp(k, Compare.CompareResult.EQUAL, Compare.CompareTarget.MOD, rev))
                .addSuccess(putOp(k, "pod-v3")).addFailure(rangeOp(get(k))).build()));
        pair.same("delete: If mod_revision(k)==r Then delete Else get", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp(k, Compare.CompareResult.EQUAL, Compare.CompareTarget.MOD, rev + 1))
                .addSuccess(deleteOp(k, null)).addFailure(rangeOp(get(k))).build()));
        pair.same("list with limit and count", s -> s.kv().range(RangeRequest.newBuilder()
                .setKey(b("/registry/")).setRangeEnd(b("/registry0")).setLimit(1).build()));
        pair.same("Txn compare LESS/GREATER/NOT_EQUAL on version and create", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp(k, Compare.CompareResult.LESS, Compare.CompareTarget.VERSION, 5))
                .addCompare(cmp(k, Compare.CompareResult.NOT_EQUAL, Compare.CompareTarget.CREATE, 0))
                .addCompare(cmp(k, Compare.CompareResult.GREATER, Compare.CompareTarget.MOD, -1))
                .addSuccess(putOp(k, "pod-v4")).build()));
        pair.same("Txn compare over a range (range_end)", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b("/dup/")).setRangeEnd(b("/dup0"))
                        .setTarget(Compare.CompareTarget.VERSION).setResult(Compare.CompareResult.GREATER)
                        .setVersion(0))
                .addSuccess(rangeOp(RangeRequest.newBuilder().setKey(b("/dup/")).setRangeEnd(b("/dup0")).build()))
                .build()));
        pair.same("Txn compare value", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b(k)).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(b("pod-v4")))
                .addSuccess(deleteOp(k, null)).build()));
        pair.same("Nested txn", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(putOp("/nest/a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                        .addCompare(cmp("/nest/a", Compare.CompareResult.EQUAL, Compare.CompareTarget.VERSION, 0))
                        .addSuccess(putOp("/nest/b", "then")).addFailure(putOp("/nest/b", "else"))))
                .addSuccess(rangeOp(RangeRequest.newBuilder().setKey(b("/nest/")).setRangeEnd(b("/nest0")).build()))
                .build()));
    }

    @Test
    @Order(5)
    void rangeAndPutFieldsReturnTheSameResponses() {
        for (int i = 0; i < 6; i++) {
            int n = i;
            pair.same("put /r/" + i, s -> s.kv().put(PutRequest.newBuilder().setKey(b("/r/" + (n % 4)))
                    .setValue(b("v" + (5 - n))).setPrevKv(true).build()));
        }
        RangeRequest base = RangeRequest.newBuilder().setKey(b("/r/")).setRangeEnd(b("/r0")).build();
        pair.same("range all", s -> s.kv().range(base));
        pair.same("range limit 2", s -> s.kv().range(base.toBuilder().setLimit(2).build()));
        pair.same("range count_only", s -> s.kv().range(base.toBuilder().setCountOnly(true).build()));
        pair.same("range keys_only limit 1", s -> s.kv().range(base.toBuilder().setKeysOnly(true).setLimit(1).build()));
        pair.same("range serializable", s -> s.kv().range(base.toBuilder().setSerializable(true).build()));
        for (RangeRequest.SortTarget t : new RangeRequest.SortTarget[] {RangeRequest.SortTarget.KEY,
                RangeRequest.SortTarget.VERSION, RangeRequest.SortTarget.CREATE, RangeRequest.SortTarget.MOD,
                RangeRequest.SortTarget.VALUE}) {
            for (RangeRequest.SortOrder o : new RangeRequest.SortOrder[] {RangeRequest.SortOrder.NONE,
                    RangeRequest.SortOrder.ASCEND, RangeRequest.SortOrder.DESCEND}) {
                pair.same("range sort " + t + " " + o + " limit 3", s -> s.kv().range(base.toBuilder()
                        .setSortTarget(t).setSortOrder(o).setLimit(3).build()));
            }
        }
        pair.same("range min/max mod", s -> s.kv().range(base.toBuilder().setMinModRevision(3).setMaxModRevision(5).build()));
        pair.same("range min/max create", s -> s.kv().range(base.toBuilder().setMinCreateRevision(3).setMaxCreateRevision(4).build()));
        pair.same("range min mod + limit 1 (more?)", s -> s.kv().range(base.toBuilder().setMinModRevision(3).setLimit(1).build()));
        pair.same("range negative limit", s -> s.kv().range(base.toBuilder().setLimit(-1).build()));
        pair.same("range revision 2", s -> s.kv().range(base.toBuilder().setRevision(2).build()));
        pair.same("range revision future", s -> s.kv().range(base.toBuilder().setRevision(100000).build()));
        pair.same("range revision -1", s -> s.kv().range(base.toBuilder().setRevision(-1).build()));
        pair.same("put ignore_value on missing key", s -> s.kv().put(PutRequest.newBuilder()
                .setKey(b("/r/missing")).setIgnoreValue(true).build()));
        pair.same("put ignore_value with a value", s -> s.kv().put(PutRequest.newBuilder()
                .setKey(b("/r/0")).setValue(b("x")).setIgnoreValue(true).build()));
        pair.same("put ignore_lease with a lease", s -> s.kv().put(PutRequest.newBuilder()
                .setKey(b("/r/0")).setLease(5).setIgnoreLease(true).build()));
        pair.same("put lease not found", s -> s.kv().put(PutRequest.newBuilder()
                .setKey(b("/r/0")).setValue(b("x")).setLease(0x1234abcdL).build()));
        pair.same("delete range prev_kv", s -> s.kv().deleteRange(DeleteRangeRequest.newBuilder()
                .setKey(b("/r/1")).setRangeEnd(b("/r/3")).setPrevKv(true).build()));
        pair.same("delete missing", s -> s.kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(b("/r/zz")).build()));
    }

    static LeaseGrpc.LeaseBlockingStub lease(DifferentialPair.Side s) {
        return LeaseGrpc.newBlockingStub(s.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /**
     * Remaining seconds depend on when the call ran: checked against the granted TTL, then left out.
     * etcd lists the keys in Go map order, which varies from run to run: compared sorted.
     */
    static LeaseTimeToLiveResponse withoutRemaining(LeaseTimeToLiveResponse r) {
        LeaseTimeToLiveResponse.Builder b = r.toBuilder().clearKeys()
                .addAllKeys(r.getKeysList().stream().sorted(ByteString.unsignedLexicographicalComparator()).toList());
        if (r.getTTL() > 0) {
            assertTrue(r.getTTL() <= r.getGrantedTTL() && r.getTTL() >= r.getGrantedTTL() - 5, r.toString());
            b.setTTL(1);
        }
        return b.build();
    }

    /** With client-chosen IDs the lease calls are deterministic, so whole responses are compared. */
    @Test
    @Order(6)
    void leasesWithClientChosenIdsReturnTheSameResponses() {
        long id = 0x1234abcdL;
        pair.same("grant", s -> lease(s).leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(60).build()));
        pair.same("grant existing id", s -> lease(s).leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(60).build()));
        pair.same("grant below the minimum", s -> lease(s).leaseGrant(LeaseGrantRequest.newBuilder().setID(2).setTTL(1).build()));
        pair.same("grant negative ttl", s -> lease(s).leaseGrant(LeaseGrantRequest.newBuilder().setID(3).setTTL(-100).build()));
        // 2 s leases: revoked at once, before they can expire on one side and not the other
        pair.same("revoke without keys", s -> lease(s).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(2).build()));
        pair.same("revoke 3", s -> lease(s).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(3).build()));
        pair.same("grant too large", s -> lease(s).leaseGrant(LeaseGrantRequest.newBuilder().setID(4)
                .setTTL(9_000_000_001L).build()));
        pair.same("grant largest", s -> lease(s).leaseGrant(LeaseGrantRequest.newBuilder().setID(5)
                .setTTL(9_000_000_000L).build()));
        pair.same("put with lease", s -> s.kv().put(PutRequest.newBuilder().setKey(b("/ls/a")).setValue(b("1"))
                .setLease(id).setPrevKv(true).build()));
        pair.same("put ignore_lease keeps it", s -> s.kv().put(PutRequest.newBuilder().setKey(b("/ls/a"))
                .setValue(b("2")).setIgnoreLease(true).setPrevKv(true).build()));
        pair.same("txn put with lease if lease matches", s -> s.kv().txn(TxnRequest.newBuilder()
                .addCompare(cmp("/ls/a", Compare.CompareResult.EQUAL, Compare.CompareTarget.LEASE, id))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("/ls/b"))
                        .setValue(b("3")).setLease(id)))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("/ls/c"))
                        .setValue(b("4")).setLease(5)))
                .build()));
        pair.same("txn put with unknown lease", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("/ls/d"))
                        .setLease(77))).build()));
        pair.same("move a key to another lease", s -> s.kv().put(PutRequest.newBuilder().setKey(b("/ls/c"))
                .setValue(b("5")).setLease(id).build()));
        pair.same("detach by a put without lease", s -> s.kv().put(PutRequest.newBuilder().setKey(b("/ls/b"))
                .setValue(b("6")).build()));
        pair.same("time to live with keys", s -> withoutRemaining(lease(s).leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build())));
        pair.same("time to live of the moved-from lease", s -> withoutRemaining(lease(s).leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(5).setKeys(true).build())));
        pair.same("time to live unknown", s -> lease(s).leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(999).setKeys(true).build()));
        pair.same("revoke", s -> lease(s).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
        pair.same("range after revoke", s -> s.kv().range(RangeRequest.newBuilder().setKey(b("/ls/"))
                .setRangeEnd(b("/ls0")).build()));
        pair.same("revoke again", s -> lease(s).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
        pair.same("revoke id 0", s -> lease(s).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(0).build()));
        pair.same("time to live revoked", s -> lease(s).leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(id).build()));
        pair.same("leases", s -> lease(s).leaseLeases(LeaseLeasesRequest.getDefaultInstance()));
        pair.same("revoke 5", s -> lease(s).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(5).build()));
    }

    @Test
    @Order(100)
    void compactReturnsTheSameErrorsAndHeaders() {
        long rev = Long.parseLong(pair.same("put /cmp", s -> s.kv().put(put("/cmp", "v")))
                .replaceAll("(?s).*revision: (\\d+).*", "$1"));
        pair.same("compact future", s -> s.kv().compact(CompactionRequest.newBuilder().setRevision(rev + 5).build()));
        pair.same("compact rev-1 physical", s -> s.kv().compact(CompactionRequest.newBuilder()
                .setRevision(rev - 1).setPhysical(true).build()));
        pair.same("compact rev-1 again", s -> s.kv().compact(CompactionRequest.newBuilder().setRevision(rev - 1).build()));
        pair.same("compact rev-2 (below)", s -> s.kv().compact(CompactionRequest.newBuilder().setRevision(rev - 2).build()));
        pair.same("range at compacted revision", s -> s.kv().range(get("/cmp").toBuilder().setRevision(rev - 2).build()));
        pair.same("range at compact revision", s -> s.kv().range(get("/cmp").toBuilder().setRevision(rev - 1).build()));
        pair.same("txn range at compacted revision", s -> s.kv().txn(TxnRequest.newBuilder()
                .addSuccess(rangeOp(get("/cmp").toBuilder().setRevision(rev - 2).build())).build()));
        pair.same("compact current", s -> s.kv().compact(CompactionRequest.newBuilder().setRevision(rev).build()));
    }
}
