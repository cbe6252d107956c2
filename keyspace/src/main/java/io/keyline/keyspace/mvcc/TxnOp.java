package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.etcdserverpb.ResponseOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.TxnResponse;
import io.keyline.api.mvccpb.KeyValue;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * etcd's Txn. Every compare on the chosen path, nested ones included, is evaluated on the state before the
 * transaction, giving the "path": one boolean per txn on the path, in depth-first order (top level first, then
 * each nested txn of the chosen branch in order, recursively). Then the operations on the path are checked, and
 * only then executed, so a failing transaction writes nothing.
 */
final class TxnOp {
    private TxnOp() {
    }

    static TxnResponse apply(WriteTxn t, TxnRequest rt, LeaseLookup leases) {
        List<Boolean> path = new ArrayList<>();
        compareToPath(t, rt, path);
        visitPath(rt, path, new int[] {0}, op -> {
            if (op.hasRequestPut()) {
                KvOps.checkPut(t, op.getRequestPut(), leases);
            } else if (op.hasRequestRange()) {
                checkRange(t, op.getRequestRange());
            }
        });
        TxnResponse.Builder resp = TxnResponse.newBuilder();
        execute(t, rt, path, new int[] {0}, resp);
        return resp.setHeader(KvOps.header(t.rev())).build();
    }

    private static void checkRange(WriteTxn t, RangeRequest r) {
        long rev = r.getRevision();
        if (rev == 0) {
            return;
        }
        if (rev > t.beginRev) {
            throw new KeyspaceException(EtcdError.FUTURE_REV);
        }
        if (rev < t.view().compactRevision()) {
            throw new KeyspaceException(EtcdError.COMPACTED);
        }
    }

    private static void compareToPath(WriteTxn t, TxnRequest rt, List<Boolean> path) {
        boolean ok = true;
        for (Compare c : rt.getCompareList()) {
            if (!compare(t, c)) {
                ok = false;
                break;
            }
        }
        path.add(ok);
        for (RequestOp op : ok ? rt.getSuccessList() : rt.getFailureList()) {
            if (op.hasRequestTxn()) {
                compareToPath(t, op.getRequestTxn(), path);
            }
        }
    }

    /** Calls {@code check} on every non-txn operation on the path, descending into nested txns. */
    private static void visitPath(TxnRequest rt, List<Boolean> path, int[] pos, Consumer<RequestOp> check) {
        boolean ok = path.get(pos[0]++);
        for (RequestOp op : ok ? rt.getSuccessList() : rt.getFailureList()) {
            if (op.hasRequestTxn()) {
                visitPath(op.getRequestTxn(), path, pos, check);
            } else {
                check.accept(op);
            }
        }
    }

    private static void execute(WriteTxn t, TxnRequest rt, List<Boolean> path, int[] pos,
                                TxnResponse.Builder resp) {
        boolean ok = path.get(pos[0]++);
        resp.setSucceeded(ok);
        for (RequestOp op : ok ? rt.getSuccessList() : rt.getFailureList()) {
            ResponseOp.Builder r = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> r.setResponseRange(t.range(op.getRequestRange()));
                case REQUEST_PUT -> r.setResponsePut(KvOps.put(t, op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> r.setResponseDeleteRange(KvOps.deleteRange(t, op.getRequestDeleteRange()));
                case REQUEST_TXN -> {
                    // nested txn responses carry an empty header; only the top level gets the revision
                    TxnResponse.Builder nested = TxnResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance());
                    execute(t, op.getRequestTxn(), path, pos, nested);
                    r.setResponseTxn(nested);
                }
                default -> {
                    // rejected by RequestValidator; an empty response keeps positions aligned
                }
            }
            resp.addResponses(r);
        }
    }

    /** True if every key visible in the compare's range satisfies it; an absent key compares as all zeros. */
    static boolean compare(WriteTxn t, Compare c) {
        List<KeyValue> kvs = t.visible(KeyRange.of(c.getKey(), c.getRangeEnd()));
        if (kvs.isEmpty()) {
            return c.getTarget() != Compare.CompareTarget.VALUE && compareKV(c, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            if (!compareKV(c, kv)) {
                return false;
            }
        }
        return true;
    }

    /** Compares the kv's field with the compare's operand; an operand of another kind counts as zero / empty. */
    static boolean compareKV(Compare c, KeyValue kv) {
        Compare.TargetUnionCase u = c.getTargetUnionCase();
        int result = switch (c.getTarget()) {
            case VALUE -> KeyRange.ORDER.compare(kv.getValue(),
                    u == Compare.TargetUnionCase.VALUE ? c.getValue() : ByteString.EMPTY);
            case CREATE -> Long.compare(kv.getCreateRevision(),
                    u == Compare.TargetUnionCase.CREATE_REVISION ? c.getCreateRevision() : 0);
            case MOD -> Long.compare(kv.getModRevision(),
                    u == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0);
            case VERSION -> Long.compare(kv.getVersion(), u == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
            case LEASE -> Long.compare(kv.getLease(), u == Compare.TargetUnionCase.LEASE ? c.getLease() : 0);
            default -> 0;
        };
        return switch (c.getResult()) {
            case EQUAL -> result == 0;
            case NOT_EQUAL -> result != 0;
            case GREATER -> result > 0;
            case LESS -> result < 0;
            default -> true;
        };
    }
}
