package io.keyline.keyspace.kv;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * etcd forbids a txn branch that writes one key twice: two puts of a key, or a put of a key that a delete of the
 * same branch covers, at any nesting depth. The then and else branches of a nested txn are exclusive, so each may
 * put the same key. Example: {@code Then(Put a, Txn(Then(Put a)))} is rejected; {@code Then(Txn(Then(Put a)
 * Else(Put a)))} is fine; {@code Then(Delete [a,c), Put b)} is rejected.
 */
final class DuplicateKeyCheck {
    private static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

    /** A deleted key interval [start, end); a single key is [key, key + "\0"). */
    private record Interval(ByteString start, ByteString end) {
        boolean contains(ByteString k) {
            return ORDER.compare(start, k) <= 0 && ORDER.compare(k, end) < 0;
        }
    }

    /** What one list of operations writes, nested txns included. */
    private record Writes(Set<ByteString> puts, List<Interval> dels) {
        boolean deletes(ByteString k) {
            for (Interval iv : dels) {
                if (iv.contains(k)) {
                    return true;
                }
            }
            return false;
        }
    }

    private DuplicateKeyCheck() {
    }

    static void check(List<RequestOp> ops) {
        writes(ops);
    }

    private static Writes writes(List<RequestOp> ops) {
        Writes w = new Writes(new HashSet<>(), new ArrayList<>());
        // this level's deletes first, so that puts in nested txns are checked against them
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                w.dels().add(interval(op.getRequestDeleteRange()));
            }
        }
        for (RequestOp op : ops) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            TxnRequest t = op.getRequestTxn();
            Writes then = writes(t.getSuccessList());
            Writes otherwise = writes(t.getFailureList());
            for (ByteString k : then.puts()) {
                if (w.puts().contains(k) || w.deletes(k)) {
                    throw new KeyspaceException(EtcdError.DUPLICATE_KEY);
                }
                w.puts().add(k);
            }
            for (ByteString k : otherwise.puts()) {
                if ((w.puts().contains(k) && !then.puts().contains(k)) || w.deletes(k)) {
                    throw new KeyspaceException(EtcdError.DUPLICATE_KEY);
                }
                w.puts().add(k);
            }
            w.dels().addAll(then.dels());
            w.dels().addAll(otherwise.dels());
        }
        for (RequestOp op : ops) {
            if (!op.hasRequestPut()) {
                continue;
            }
            ByteString k = op.getRequestPut().getKey();
            if (w.puts().contains(k) || w.deletes(k)) {
                throw new KeyspaceException(EtcdError.DUPLICATE_KEY);
            }
            w.puts().add(k);
        }
        return w;
    }

    private static Interval interval(DeleteRangeRequest d) {
        if (d.getRangeEnd().isEmpty()) {
            return new Interval(d.getKey(), d.getKey().concat(ByteString.copyFrom(new byte[] {0})));
        }
        // taken literally: a range_end of "\0" (all keys >= key) sorts below key and so covers nothing here,
        // exactly as in etcd's interval tree
        return new Interval(d.getKey(), d.getRangeEnd());
    }
}
