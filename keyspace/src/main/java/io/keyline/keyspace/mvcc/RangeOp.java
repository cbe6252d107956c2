package io.keyline.keyspace.mvcc;

import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.mvccpb.KeyValue;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * etcd's Range: read the keys visible at a revision, then filter, sort and page them. Used for plain reads on
 * committed state and for range operations inside a transaction (which see the transaction's earlier writes).
 */
final class RangeOp {
    private static final Comparator<KeyValue> BY_KEY =
            (a, b) -> KeyRange.ORDER.compare(a.getKey(), b.getKey());

    private RangeOp() {
    }

    /**
     * @param curRev the reader's current revision: the default read revision, the FUTURE_REV bound and the
     *               header revision
     */
    static RangeResponse execute(ReadView view, long curRev, RangeRequest r) {
        long rev = r.getRevision();
        if (rev > curRev) {
            throw new KeyspaceException(EtcdError.FUTURE_REV);
        }
        if (rev <= 0) {
            rev = curRev;
        }
        if (rev < view.compactRevision()) {
            throw new KeyspaceException(EtcdError.COMPACTED);
        }
        RangeResponse.Builder resp = RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(curRev));
        KeyRange range = KeyRange.of(r.getKey(), r.getRangeEnd());
        long atRev = rev;
        if (r.getCountOnly()) {
            long[] count = {0};
            view.index().forEach(range, ki -> {
                if (ki.get(atRev) != null) {
                    count[0]++;
                }
                return true;
            });
            return resp.setCount(count[0]).build();
        }

        long fetch = r.getLimit();
        if (r.getSortOrder() != RangeRequest.SortOrder.NONE
                || r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0) {
            fetch = 0; // everything is needed to filter or sort; truncate afterwards
        }
        if (fetch > 0) {
            fetch++; // one extra to know whether there is more
        }
        long limit = fetch;
        List<KeyValue> kvs = new ArrayList<>();
        long[] count = {0};
        view.index().forEach(range, ki -> {
            KeyIndex.Hit hit = ki.get(atRev);
            if (hit != null) {
                count[0]++; // count is every visible key in range, whatever the limit
                if (limit <= 0 || kvs.size() < limit) {
                    kvs.add(view.value(hit.modified()));
                }
            }
            return true;
        });

        kvs.removeIf(kv -> (r.getMaxModRevision() != 0 && kv.getModRevision() > r.getMaxModRevision())
                || (r.getMinModRevision() != 0 && kv.getModRevision() < r.getMinModRevision())
                || (r.getMaxCreateRevision() != 0 && kv.getCreateRevision() > r.getMaxCreateRevision())
                || (r.getMinCreateRevision() != 0 && kv.getCreateRevision() < r.getMinCreateRevision()));

        sort(kvs, r);

        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs.subList((int) r.getLimit(), kvs.size()).clear();
            resp.setMore(true);
        }
        for (KeyValue kv : kvs) {
            resp.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return resp.setCount(count[0]).build();
    }

    private static void sort(List<KeyValue> kvs, RangeRequest r) {
        RangeRequest.SortOrder order = r.getSortOrder();
        // results already come in ascending key order, so a non-key target without an order means ascending
        if (r.getSortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND;
        }
        if (order == RangeRequest.SortOrder.NONE) {
            return;
        }
        Comparator<KeyValue> c = switch (r.getSortTarget()) {
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> (a, b) -> KeyRange.ORDER.compare(a.getValue(), b.getValue());
            default -> BY_KEY;
        };
        if (order == RangeRequest.SortOrder.DESCEND) {
            c = c.reversed();
        }
        kvs.sort(c); // List.sort is stable
    }
}
