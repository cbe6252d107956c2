package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.mvccpb.KeyValue;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Short builders for requests in tests, and helpers that apply one request per committed batch. */
final class Req {
    private Req() {
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v)).build();
    }

    static RangeRequest get(String k) {
        return RangeRequest.newBuilder().setKey(bs(k)).build();
    }

    static RangeRequest.Builder range(String k, String end) {
        return RangeRequest.newBuilder().setKey(bs(k)).setRangeEnd(bs(end));
    }

    static DeleteRangeRequest del(String k, String end) {
        return DeleteRangeRequest.newBuilder().setKey(bs(k)).setRangeEnd(bs(end)).build();
    }

    static RequestOp op(PutRequest p) {
        return RequestOp.newBuilder().setRequestPut(p).build();
    }

    static RequestOp op(RangeRequest r) {
        return RequestOp.newBuilder().setRequestRange(r).build();
    }

    static RequestOp op(DeleteRangeRequest d) {
        return RequestOp.newBuilder().setRequestDeleteRange(d).build();
    }

    static RequestOp op(TxnRequest t) {
        return RequestOp.newBuilder().setRequestTxn(t).build();
    }

    static Compare modEquals(String k, long rev) {
        return Compare.newBuilder().setKey(bs(k)).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL).setModRevision(rev).build();
    }

    static Compare createEquals(String k, long rev) {
        return Compare.newBuilder().setKey(bs(k)).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(rev).build();
    }

    static Compare versionEquals(String k, long v) {
        return Compare.newBuilder().setKey(bs(k)).setTarget(Compare.CompareTarget.VERSION)
                .setResult(Compare.CompareResult.EQUAL).setVersion(v).build();
    }

    /** "key=value" of each kv, comma separated. */
    static String kvs(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> kv.getKey().toStringUtf8() + "=" + kv.getValue().toStringUtf8())
                .collect(Collectors.joining(","));
    }

    static String kvs(RangeResponse r) {
        return kvs(r.getKvsList());
    }

    /** Applies one request in its own batch, committed with the next applied index. */
    static <T> T apply(MvccStore store, java.util.function.Function<MvccBatch, T> call) {
        try (MvccBatch b = store.newBatch()) {
            T out = call.apply(b);
            b.commit(store.appliedIndex() + 1, 1);
            return out;
        }
    }

    static void expectError(EtcdError e, Executable call) {
        assertEquals(e, assertThrows(KeyspaceException.class, call).error());
    }
}
