package io.keyline.keyspace.kv;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestValidatorTest {
    private static final int MAX_OPS = 3;

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static RequestOp put(String k) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(k))).build();
    }

    private static RequestOp del(String k, String end) {
        return RequestOp.newBuilder().setRequestDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(bs(k)).setRangeEnd(bs(end))).build();
    }

    private static RequestOp get(String k) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs(k))).build();
    }

    private static RequestOp txn(TxnRequest.Builder t) {
        return RequestOp.newBuilder().setRequestTxn(t).build();
    }

    private static TxnRequest.Builder then(RequestOp... ops) {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        for (RequestOp op : ops) {
            t.addSuccess(op);
        }
        return t;
    }

    private static Compare cmp(String k) {
        return Compare.newBuilder().setKey(bs(k)).build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("range ok", get("a"), null),
                row("range empty key", RangeRequest.newBuilder().build(), EtcdError.EMPTY_KEY),
                row("range bad sort order", RangeRequest.newBuilder().setKey(bs("a")).setSortOrderValue(7).build(),
                        EtcdError.INVALID_SORT_OPTION),
                row("range bad sort target", RangeRequest.newBuilder().setKey(bs("a")).setSortTargetValue(9).build(),
                        EtcdError.INVALID_SORT_OPTION),
                row("put ok", PutRequest.newBuilder().setKey(bs("a")).setIgnoreValue(true).setIgnoreLease(true).build(),
                        null),
                row("put empty key", PutRequest.newBuilder().setValue(bs("v")).build(), EtcdError.EMPTY_KEY),
                row("put ignore value with value", PutRequest.newBuilder().setKey(bs("a")).setValue(bs("v"))
                        .setIgnoreValue(true).build(), EtcdError.VALUE_PROVIDED),
                row("put ignore lease with lease", PutRequest.newBuilder().setKey(bs("a")).setLease(5)
                        .setIgnoreLease(true).build(), EtcdError.LEASE_PROVIDED),
                row("delete empty key", DeleteRangeRequest.newBuilder().setRangeEnd(bs("z")).build(),
                        EtcdError.EMPTY_KEY),
                row("txn ok", then(put("a"), put("b"), get("a")).addFailure(put("a")).build(), null),
                row("txn too many ops", then(put("a"), put("b"), put("c"), put("d")).build(), EtcdError.TOO_MANY_OPS),
                row("txn too many compares", TxnRequest.newBuilder().addCompare(cmp("a")).addCompare(cmp("a"))
                        .addCompare(cmp("a")).addCompare(cmp("a")).build(), EtcdError.TOO_MANY_OPS),
                row("txn nested budget", then(txn(then(put("a"), put("b")))).build(), null),
                row("txn nested over budget", then(put("x"), txn(then(put("a"), put("b")))).build(),
                        EtcdError.TOO_MANY_OPS),
                row("txn compare empty key", TxnRequest.newBuilder().addCompare(cmp("")).build(),
                        EtcdError.EMPTY_KEY),
                row("txn bad op inside", then(put("")).build(), EtcdError.EMPTY_KEY),
                row("txn empty op", then(RequestOp.getDefaultInstance()).build(), EtcdError.KEY_NOT_FOUND),
                row("duplicate put", then(put("a"), put("a")).build(), EtcdError.DUPLICATE_KEY),
                row("put in deleted range", then(del("a", "c"), put("b")).build(), EtcdError.DUPLICATE_KEY),
                row("put of deleted key", then(put("a"), del("a", "")).build(), EtcdError.DUPLICATE_KEY),
                row("put past deleted range", then(del("a", "c"), put("c")).build(), null),
                row("same put in then and else", TxnRequest.newBuilder().addSuccess(put("a")).addFailure(put("a"))
                        .build(), null),
                row("nested put duplicates outer", then(put("a"), txn(then(put("a")))).build(),
                        EtcdError.DUPLICATE_KEY),
                row("nested put under outer delete", then(del("a", "z"), txn(then(put("b")))).build(),
                        EtcdError.DUPLICATE_KEY),
                row("nested then and else may share", then(txn(then(put("a")).addFailure(put("a")))).build(), null),
                row("nested else duplicates sibling", then(txn(then(put("b"))), txn(then(put("c")).addFailure(put("b"))))
                        .build(), EtcdError.DUPLICATE_KEY),
                row("nested delete covers outer put", then(put("b"), txn(then(del("a", "c")))).build(),
                        EtcdError.DUPLICATE_KEY),
                row("from-key delete is literal", then(del("a", "\0"), put("b")).build(), null));
    }

    private static Arguments row(String name, Object request, EtcdError expected) {
        return Arguments.of(name, request, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validate(String name, Object request, EtcdError expected) {
        Runnable call;
        if (request instanceof RangeRequest r) {
            call = () -> RequestValidator.validateRange(r);
        } else if (request instanceof PutRequest p) {
            call = () -> RequestValidator.validatePut(p);
        } else if (request instanceof DeleteRangeRequest d) {
            call = () -> RequestValidator.validateDeleteRange(d);
        } else if (request instanceof TxnRequest t) {
            call = () -> RequestValidator.validateTxn(t, MAX_OPS);
        } else {
            call = () -> RequestValidator.validateRange(((RequestOp) request).getRequestRange());
        }
        if (expected == null) {
            assertDoesNotThrow(call::run);
        } else {
            assertEquals(expected, assertThrows(KeyspaceException.class, call::run).error());
        }
    }
}
