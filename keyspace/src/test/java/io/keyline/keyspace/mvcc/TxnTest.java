package io.keyline.keyspace.mvcc;

import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.etcdserverpb.ResponseOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.TxnResponse;
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
import static io.keyline.keyspace.mvcc.Req.createEquals;
import static io.keyline.keyspace.mvcc.Req.del;
import static io.keyline.keyspace.mvcc.Req.expectError;
import static io.keyline.keyspace.mvcc.Req.get;
import static io.keyline.keyspace.mvcc.Req.kvs;
import static io.keyline.keyspace.mvcc.Req.modEquals;
import static io.keyline.keyspace.mvcc.Req.op;
import static io.keyline.keyspace.mvcc.Req.put;
import static io.keyline.keyspace.mvcc.Req.versionEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts from: rev 2 put a=1, rev 3 put b=2, rev 4 put a=3 (current 4). */
class TxnTest {
    @TempDir
    Path dir;
    MvccStore store;

    @BeforeEach
    void open() {
        store = MvccStore.open(dir.resolve("db"));
        apply(store, b -> b.put(put("a", "1")));
        apply(store, b -> b.put(put("b", "2")));
        apply(store, b -> b.put(put("a", "3")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private TxnResponse txn(TxnRequest.Builder t) {
        return apply(store, b -> b.txn(t.build()));
    }

    @Test
    void kubeUpdateSucceedsWhenModRevisionMatches() {
        TxnResponse r = txn(TxnRequest.newBuilder().addCompare(modEquals("a", 4))
                .addSuccess(op(put("a", "4"))).addFailure(op(get("a"))));
        assertTrue(r.getSucceeded());
        assertEquals(5, r.getHeader().getRevision());
        assertEquals(5, r.getResponses(0).getResponsePut().getHeader().getRevision());
        assertEquals(5, store.currentRevision());
    }

    @Test
    void kubeUpdateConflictReturnsCurrentObjectAndTakesNoRevision() {
        TxnResponse r = txn(TxnRequest.newBuilder().addCompare(modEquals("a", 2))
                .addSuccess(op(put("a", "4"))).addFailure(op(get("a"))));
        assertFalse(r.getSucceeded());
        assertEquals(4, r.getHeader().getRevision());
        var range = r.getResponses(0).getResponseRange();
        assertEquals("a=3", kvs(range));
        assertEquals(ResponseHeader.newBuilder().setRevision(4).build(), range.getHeader());
        assertEquals(4, store.currentRevision());
    }

    @Test
    void kubeCreateOnlyIfAbsent() {
        TxnRequest.Builder create = TxnRequest.newBuilder().addCompare(createEquals("pod", 0))
                .addSuccess(op(put("pod", "x")));
        TxnResponse first = txn(create);
        assertTrue(first.getSucceeded());
        assertEquals(5, first.getHeader().getRevision());
        TxnResponse again = txn(create);
        assertFalse(again.getSucceeded());
        assertEquals(0, again.getResponsesCount());
        assertEquals(5, again.getHeader().getRevision());
    }

    @Test
    void opsShareOneRevisionAndRangesSeeEarlierWrites() {
        TxnResponse r = txn(TxnRequest.newBuilder()
                .addSuccess(op(get("a")))
                .addSuccess(op(put("c", "9")))
                .addSuccess(op(Req.range("a", "d").build()))
                .addSuccess(op(del("x", "")))
                .addSuccess(op(del("b", "")))
                .addSuccess(op(put("a", "5"))));
        assertTrue(r.getSucceeded());
        assertEquals(5, r.getHeader().getRevision());
        List<ResponseOp> ops = r.getResponsesList();
        assertEquals(4, ops.get(0).getResponseRange().getHeader().getRevision(), "range before any write");
        assertEquals(5, ops.get(1).getResponsePut().getHeader().getRevision());
        assertEquals("a=3,b=2,c=9", kvs(ops.get(2).getResponseRange()));
        assertEquals(5, ops.get(2).getResponseRange().getHeader().getRevision());
        assertEquals(0, ops.get(3).getResponseDeleteRange().getDeleted());
        assertEquals(5, ops.get(3).getResponseDeleteRange().getHeader().getRevision());
        assertEquals(1, ops.get(4).getResponseDeleteRange().getDeleted());
        assertEquals(List.of("2.0", "3.0", "4.0", "5.0", "5.1t", "5.2"), store.storedRevisions());
        assertEquals("a=5,c=9", kvs(store.range(Req.range("\0", "\0").build())));
    }

    @Test
    void readOnlyTxnTakesNoRevision() {
        TxnResponse r = txn(TxnRequest.newBuilder().addSuccess(op(get("a"))).addSuccess(op(del("zz", ""))));
        assertEquals(4, r.getHeader().getRevision());
        assertEquals(4, r.getResponses(1).getResponseDeleteRange().getHeader().getRevision());
        assertEquals(4, store.currentRevision());
    }

    @Test
    void nestedComparesAreEvaluatedBeforeAnyWrite() {
        // x does not exist before the txn, so the nested compare version(x) == 0 holds even after put x
        TxnRequest nested = TxnRequest.newBuilder().addCompare(versionEquals("x", 0))
                .addSuccess(op(put("y", "then"))).addFailure(op(put("z", "else"))).build();
        TxnResponse r = txn(TxnRequest.newBuilder().addCompare(versionEquals("a", 2))
                .addSuccess(op(put("x", "1"))).addSuccess(op(nested)));
        assertTrue(r.getSucceeded());
        TxnResponse inner = r.getResponses(1).getResponseTxn();
        assertTrue(inner.getSucceeded());
        assertTrue(inner.hasHeader());
        assertEquals(ResponseHeader.getDefaultInstance(), inner.getHeader());
        assertEquals(5, inner.getResponses(0).getResponsePut().getHeader().getRevision());
        assertEquals("x=1,y=then", kvs(store.range(Req.range("x", "\0").build())));
        assertEquals(List.of("2.0", "3.0", "4.0", "5.0", "5.1"), store.storedRevisions());
    }

    @Test
    void failingCheckOnTheChosenPathAppliesNothing() {
        TxnRequest bad = TxnRequest.newBuilder()
                .addSuccess(op(put("c", "1")))
                .addSuccess(op(TxnRequest.newBuilder()
                        .addSuccess(op(PutRequest.newBuilder().setKey(bs("missing")).setIgnoreValue(true).build()))
                        .build()))
                .build();
        try (MvccBatch b = store.newBatch()) {
            expectError(EtcdError.KEY_NOT_FOUND, () -> b.txn(bad));
            expectError(EtcdError.FUTURE_REV, () -> b.txn(TxnRequest.newBuilder().addSuccess(op(put("c", "1")))
                    .addSuccess(op(Req.range("a", "").setRevision(5).build())).build()));
            expectError(EtcdError.LEASE_NOT_FOUND, () -> b.txn(TxnRequest.newBuilder()
                    .addSuccess(op(put("c", "1").toBuilder().setLease(3).build())).build()));
            // the bad op on the branch not taken is never checked
            TxnResponse ok = b.txn(TxnRequest.newBuilder().addCompare(versionEquals("a", 99))
                    .addSuccess(op(put("c", "1").toBuilder().setLease(3).build()))
                    .addFailure(op(put("d", "1"))).build());
            assertFalse(ok.getSucceeded());
            assertEquals(5, ok.getHeader().getRevision());
            b.commit(9, 1);
        }
        assertEquals(5, store.currentRevision());
        assertEquals(0, store.range(get("c")).getCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // key, range_end, target, result, operand, expected
            "value equal,            a, '',  VALUE,   EQUAL,     3, true",
            "value greater,          a, '',  VALUE,   GREATER,   2, true",
            "value less,             a, '',  VALUE,   LESS,      2, false",
            "value of missing key,   q, '',  VALUE,   NOT_EQUAL, 2, false",
            "version of missing key, q, '',  VERSION, EQUAL,     0, true",
            "mod of missing key,     q, '',  MOD,     LESS,      1, true",
            "create not equal,       a, '',  CREATE,  NOT_EQUAL, 3, true",
            "version greater,        a, '',  VERSION, GREATER,   1, true",
            "lease equal zero,       a, '',  LEASE,   EQUAL,     0, true",
            "range all satisfy,      a, c,   MOD,     GREATER,   2, true",
            "range one fails,        a, c,   MOD,     GREATER,   3, false",
            "empty range is missing, m, n,   CREATE,  EQUAL,     0, true",
    })
    void compares(String name, String key, String end, Compare.CompareTarget target,
                  Compare.CompareResult result, String operand, boolean expected) {
        Compare.Builder c = Compare.newBuilder().setKey(bs(key)).setRangeEnd(bs(end))
                .setTarget(target).setResult(result);
        switch (target) {
            case VALUE -> c.setValue(bs(operand));
            case VERSION -> c.setVersion(Long.parseLong(operand));
            case CREATE -> c.setCreateRevision(Long.parseLong(operand));
            case MOD -> c.setModRevision(Long.parseLong(operand));
            default -> c.setLease(Long.parseLong(operand));
        }
        assertEquals(expected, txn(TxnRequest.newBuilder().addCompare(c)).getSucceeded());
    }

    @Test
    void operandOfAnotherKindComparesAsZero() {
        // target MOD but the union holds a version: kv's mod (4) is compared with 0
        Compare c = Compare.newBuilder().setKey(bs("a")).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.GREATER).setVersion(100).build();
        assertTrue(txn(TxnRequest.newBuilder().addCompare(c)).getSucceeded());
    }
}
