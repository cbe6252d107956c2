package io.keyline.keyspace.mvcc;

import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.mvccpb.KeyValue;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;

/** etcd's Put and DeleteRange rules, applied inside a {@link WriteTxn}. */
final class KvOps {
    private KvOps() {
    }

    /**
     * The checks that can fail a put, run before anything is written so that a failed request leaves no trace:
     * ignore_value / ignore_lease need the key to exist; a named lease must exist.
     */
    static void checkPut(WriteTxn t, PutRequest p, LeaseLookup leases) {
        if ((p.getIgnoreValue() || p.getIgnoreLease()) && t.get(p.getKey()) == null) {
            throw new KeyspaceException(EtcdError.KEY_NOT_FOUND);
        }
        if (!p.getIgnoreLease() && p.getLease() != 0 && !leases.exists(p.getLease())) {
            throw new KeyspaceException(EtcdError.LEASE_NOT_FOUND);
        }
    }

    /** Applies an already checked put. */
    static PutResponse put(WriteTxn t, PutRequest p) {
        KeyValue prev = null;
        if (p.getIgnoreValue() || p.getIgnoreLease() || p.getPrevKv()) {
            prev = t.get(p.getKey());
        }
        if ((p.getIgnoreValue() || p.getIgnoreLease()) && prev == null) {
            throw new IllegalStateException("put was not checked: " + p.getKey().toStringUtf8() + " missing");
        }
        t.put(p.getKey(),
                p.getIgnoreValue() ? prev.getValue() : p.getValue(),
                p.getIgnoreLease() ? prev.getLease() : p.getLease());
        PutResponse.Builder resp = PutResponse.newBuilder().setHeader(header(t.rev()));
        if (p.getPrevKv() && prev != null) {
            resp.setPrevKv(prev);
        }
        return resp.build();
    }

    static DeleteRangeResponse deleteRange(WriteTxn t, DeleteRangeRequest d) {
        KeyRange range = KeyRange.of(d.getKey(), d.getRangeEnd());
        DeleteRangeResponse.Builder resp = DeleteRangeResponse.newBuilder();
        if (d.getPrevKv()) {
            resp.addAllPrevKvs(t.visible(range));
        }
        int n = t.deleteRange(range);
        return resp.setDeleted(n).setHeader(header(t.rev())).build();
    }

    static ResponseHeader header(long rev) {
        return ResponseHeader.newBuilder().setRevision(rev).build();
    }
}
