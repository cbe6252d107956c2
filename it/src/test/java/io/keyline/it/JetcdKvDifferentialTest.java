package io.keyline.it;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The jetcd client (io.etcd:jetcd-core) sees the same revisions, key-values, counts, txn results
 * and exceptions from Keyline as from real etcd 3.4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JetcdKvDifferentialTest {

    private DifferentialPair pair;

    @BeforeAll
    void start() {
        pair = DifferentialPair.start("jetcd");
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

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Waits for a jetcd future; failures come back as the exception itself, to be compared. */
    static Object await(CompletableFuture<?> f) {
        try {
            return render(f.get(15, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            return e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
        } catch (TimeoutException e) {
            return new RuntimeException("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void same(String what, Function<KV, CompletableFuture<?>> call) {
        pair.same(what, s -> await(call.apply(s.jetcd().getKVClient())));
    }

    static String kv(KeyValue kv) {
        return "{key=" + kv.getKey().toString(StandardCharsets.UTF_8) + " value=" + kv.getValue().toString(StandardCharsets.UTF_8)
                + " create=" + kv.getCreateRevision() + " mod=" + kv.getModRevision() + " version=" + kv.getVersion()
                + " lease=" + kv.getLease() + "}";
    }

    static String kvs(List<KeyValue> list) {
        return list.stream().map(JetcdKvDifferentialTest::kv).collect(Collectors.joining(", ", "[", "]"));
    }

    static Object render(Object r) {
        if (r instanceof GetResponse g) {
            return "Get rev=" + g.getHeader().getRevision() + " count=" + g.getCount() + " more=" + g.isMore()
                    + " kvs=" + kvs(g.getKvs());
        }
        if (r instanceof PutResponse p) {
            return "Put rev=" + p.getHeader().getRevision() + " hasPrevKv=" + p.hasPrevKv()
                    + (p.hasPrevKv() ? " prev=" + kv(p.getPrevKv()) : "");
        }
        if (r instanceof DeleteResponse d) {
            return "Delete rev=" + d.getHeader().getRevision() + " deleted=" + d.getDeleted() + " prev=" + kvs(d.getPrevKvs());
        }
        if (r instanceof TxnResponse t) {
            return "Txn rev=" + t.getHeader().getRevision() + " succeeded=" + t.isSucceeded()
                    + " puts=" + t.getPutResponses().stream().map(JetcdKvDifferentialTest::render).toList()
                    + " gets=" + t.getGetResponses().stream().map(JetcdKvDifferentialTest::render).toList()
                    + " deletes=" + t.getDeleteResponses().stream().map(JetcdKvDifferentialTest::render).toList()
                    + " txns=" + t.getTxnResponses().stream().map(JetcdKvDifferentialTest::render).toList();
        }
        if (r instanceof io.etcd.jetcd.kv.CompactResponse c) {
            return "Compact rev=" + c.getHeader().getRevision();
        }
        return r;
    }

    @Test
    @Order(1)
    void putGetDeleteWithOptions() {
        for (String k : new String[] {"/j/a", "/j/b", "/j/c", "/j/a", "/j/d", "/j/b"}) {
            same("put " + k, kv -> kv.put(bs(k), bs("v" + k.length() + k)));
        }
        same("put prevKv", kv -> kv.put(bs("/j/c"), bs("c2"), PutOption.builder().withPrevKV().build()));
        same("put missing prevKv", kv -> kv.put(bs("/j/e"), bs("e"), PutOption.builder().withPrevKV().build()));
        same("put lease not found", kv -> kv.put(bs("/j/e"), bs("e"), PutOption.builder().withLeaseId(0x77).build()));
        same("put empty key", kv -> kv.put(bs(""), bs("e")));
        same("get", kv -> kv.get(bs("/j/a")));
        same("get missing", kv -> kv.get(bs("/j/zz")));
        same("get prefix", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).build()));
        same("get range end", kv -> kv.get(bs("/j/a"), GetOption.builder().withRange(bs("/j/c")).build()));
        same("get prefix limit", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).withLimit(2).build()));
        same("get prefix count only", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
        same("get prefix keys only", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).withKeysOnly(true).build()));
        same("get serializable", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).withSerializable(true).build()));
        same("get revision 3", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).withRevision(3).build()));
        same("get revision future", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).withRevision(999).build()));
        for (GetOption.SortTarget t : GetOption.SortTarget.values()) {
            for (GetOption.SortOrder o : GetOption.SortOrder.values()) {
                same("get sort " + t + " " + o, kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true)
                        .withSortField(t).withSortOrder(o).build()));
            }
        }
        same("get mod/create filters", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true)
                .withMinModRevision(3).withMaxModRevision(7).withMinCreateRevision(2).withMaxCreateRevision(5).build()));
        same("get from key", kv -> kv.get(bs("/j/b"), GetOption.builder().withRange(bs("\0")).build()));
        same("delete prevKv", kv -> kv.delete(bs("/j/a"), DeleteOption.builder().withPrevKV(true).build()));
        same("delete missing", kv -> kv.delete(bs("/j/a")));
        same("delete prefix", kv -> kv.delete(bs("/j/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
        same("get prefix after delete", kv -> kv.get(bs("/j/"), GetOption.builder().isPrefix(true).build()));
    }

    @Test
    @Order(2)
    void txnInKubernetesShapes() {
        ByteSequence k = bs("/registry/configmaps/ns/cm");
        same("create if absent", kv -> kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(0)))
                .Then(Op.put(k, bs("v1"), PutOption.DEFAULT)).commit());
        same("create if absent again", kv -> kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, bs("v1"), PutOption.DEFAULT)).Else(Op.get(k, GetOption.DEFAULT)).commit());
        String got = pair.same("get cm", s -> await(s.jetcd().getKVClient().get(k)));
        long rev = Long.parseLong(got.replaceAll("(?s).* mod=(\\d+).*", "$1"));
        same("update guarded by mod revision", kv -> kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(rev)))
                .Then(Op.put(k, bs("v2"), PutOption.builder().withPrevKV().build())).Else(Op.get(k, GetOption.DEFAULT)).commit());
        same("stale update", kv -> kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(rev)))
                .Then(Op.put(k, bs("v3"), PutOption.DEFAULT)).Else(Op.get(k, GetOption.DEFAULT)).commit());
        same("value and version compares", kv -> kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bs("v2"))), new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(1)),
                        new Cmp(k, Cmp.Op.LESS, CmpTarget.createRevision(rev + 1)))
                .Then(Op.get(k, GetOption.DEFAULT), Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .commit());
        same("empty txn", kv -> kv.txn().commit());
        same("duplicate key txn", kv -> kv.txn().Then(Op.put(k, bs("a"), PutOption.DEFAULT), Op.put(k, bs("b"), PutOption.DEFAULT)).commit());
        same("nested txn", kv -> kv.txn().Then(Op.txn(new Cmp[] {new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))},
                new Op[] {Op.put(k, bs("nested"), PutOption.DEFAULT)}, new Op[] {})).commit());
        same("get after nested", kv -> kv.get(k));
    }

    /**
     * jetcd's lease calls: each side grants its own lease (server-chosen IDs differ, so each side's ID
     * is named in what it returns), attaches keys, renews once, asks its time to live, revokes it, and
     * renews and revokes it again.
     */
    @Test
    @Order(3)
    void leaseGrantKeepAliveOnceTimeToLiveAndRevoke() {
        pair.same("jetcd lease lifecycle", s -> {
            io.etcd.jetcd.Lease lease = s.jetcd().getLeaseClient();
            KV kv = s.jetcd().getKVClient();
            StringBuilder out = new StringBuilder();
            Object granted = await(lease.grant(60));
            if (!(granted instanceof io.etcd.jetcd.lease.LeaseGrantResponse g)) {
                return granted;
            }
            long id = g.getID();
            out.append("grant ttl=").append(g.getTTL()).append('\n');
            out.append(await(kv.put(bs("/jl/b"), bs("1"), PutOption.builder().withLeaseId(id).build()))).append('\n');
            out.append(await(kv.put(bs("/jl/a"), bs("2"), PutOption.builder().withLeaseId(id).build()))).append('\n');
            out.append(await(lease.keepAliveOnce(id).thenApply(r -> "keepAliveOnce ttl=" + r.getTTL()))).append('\n');
            out.append(await(lease.timeToLive(id, io.etcd.jetcd.options.LeaseOption.builder().withAttachedKeys().build())
                    .thenApply(r -> "timeToLive granted=" + r.getGrantedTTL() + " fresh=" + (r.getTTL() >= 55)
                            + " keys=" + r.getKeys().stream().map(k -> k.toString(StandardCharsets.UTF_8)).sorted().toList())))
                    .append('\n');
            out.append(await(lease.revoke(id).thenApply(r -> "revoke rev=" + r.getHeader().getRevision()))).append('\n');
            out.append(await(kv.get(bs("/jl/"), GetOption.builder().isPrefix(true).build()))).append('\n');
            out.append(await(lease.timeToLive(id, io.etcd.jetcd.options.LeaseOption.DEFAULT)
                    .thenApply(r -> "timeToLive ttl=" + r.getTTL() + " granted=" + r.getGrantedTTL()))).append('\n');
            out.append(await(lease.keepAliveOnce(id))).append('\n');
            out.append(await(lease.revoke(id))).append('\n');
            return out.toString().replace(Long.toString(id), "<lease>");
        });
    }

    @Test
    @Order(100)
    void compactAndReadHistory() {
        for (int i = 0; i < 4; i++) {
            int n = i;
            same("put /jc " + i, kv -> kv.put(bs("/jc"), bs("v" + n)));
        }
        String got = pair.same("get /jc", s -> await(s.jetcd().getKVClient().get(bs("/jc"))));
        long rev = Long.parseLong(got.replaceAll("(?s)Get rev=(\\d+).*", "$1"));
        same("compact future", kv -> kv.compact(rev + 3));
        same("compact rev-2", kv -> kv.compact(rev - 2));
        same("compact rev-2 again", kv -> kv.compact(rev - 2));
        same("compact physical rev-1", kv -> kv.compact(rev - 1, CompactOption.builder().withCompactPhysical(true).build()));
        same("get compacted", kv -> kv.get(bs("/jc"), GetOption.builder().withRevision(rev - 2).build()));
        same("get at compact rev", kv -> kv.get(bs("/jc"), GetOption.builder().withRevision(rev - 1).build()));
        same("get current", kv -> kv.get(bs("/jc"), GetOption.builder().withRevision(rev).build()));
    }
}
