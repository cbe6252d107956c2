package io.keyline.keyspace.kv;

import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;

/**
 * etcd's request checks that need no state, done before a request is proposed so that a malformed request never
 * reaches the log. Each method throws {@link KeyspaceException} on the first problem found.
 */
public final class RequestValidator {
    private RequestValidator() {
    }

    public static void validateRange(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw new KeyspaceException(EtcdError.EMPTY_KEY);
        }
        if (r.getSortOrder() == RangeRequest.SortOrder.UNRECOGNIZED
                || r.getSortTarget() == RangeRequest.SortTarget.UNRECOGNIZED) {
            throw new KeyspaceException(EtcdError.INVALID_SORT_OPTION);
        }
    }

    public static void validatePut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw new KeyspaceException(EtcdError.EMPTY_KEY);
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw new KeyspaceException(EtcdError.VALUE_PROVIDED);
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw new KeyspaceException(EtcdError.LEASE_PROVIDED);
        }
    }

    public static void validateDeleteRange(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw new KeyspaceException(EtcdError.EMPTY_KEY);
        }
    }

    /**
     * Checks the shape of a txn (op count, keys, every operation recursively) and then that no branch writes a
     * key twice or both puts and deletes it (see {@link DuplicateKeyCheck}).
     */
    public static void validateTxn(TxnRequest r, int maxTxnOps) {
        checkTxnShape(r, maxTxnOps);
        // the overlap check runs after the shape check, which bounds its cost
        DuplicateKeyCheck.check(r.getSuccessList());
        DuplicateKeyCheck.check(r.getFailureList());
    }

    private static void checkTxnShape(TxnRequest r, int maxTxnOps) {
        int opc = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (opc > maxTxnOps) {
            throw new KeyspaceException(EtcdError.TOO_MANY_OPS);
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw new KeyspaceException(EtcdError.EMPTY_KEY);
            }
        }
        // a nested txn may use only what this level left of the op budget
        for (RequestOp op : r.getSuccessList()) {
            checkOp(op, maxTxnOps - opc);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(op, maxTxnOps - opc);
        }
    }

    private static void checkOp(RequestOp op, int maxTxnOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> validateRange(op.getRequestRange());
            case REQUEST_PUT -> validatePut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> validateDeleteRange(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxnShape(op.getRequestTxn(), maxTxnOps);
            // an empty operation is what etcd reports as key not found
            default -> throw new KeyspaceException(EtcdError.KEY_NOT_FOUND);
        }
    }
}
