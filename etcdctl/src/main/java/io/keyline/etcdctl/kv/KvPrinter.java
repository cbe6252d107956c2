package io.keyline.etcdctl.kv;

import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.ResponseOp;
import io.keyline.api.etcdserverpb.TxnResponse;
import io.keyline.api.mvccpb.KeyValue;
import io.keyline.etcdctl.output.Fields;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import io.keyline.etcdctl.output.Simple;

/** get, put, del and txn results in each --write-out format. */
final class KvPrinter {
    private final Output o;
    private final boolean valueOnly;

    KvPrinter(Output o, boolean valueOnly) {
        this.o = o;
        this.valueOnly = valueOnly;
    }

    void get(RangeResponse r) {
        switch (o.format()) {
            case SIMPLE -> {
                for (KeyValue kv : r.getKvsList()) {
                    Simple.kv(o, valueOnly, kv);
                }
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                for (KeyValue kv : r.getKvsList()) {
                    Fields.kv(o, "", kv);
                }
                Fields.line(o, "More", r.getMore());
                Fields.line(o, "Count", r.getCount());
            }
            case JSON -> o.json(GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> o.protobuf(r);
            default -> throw o.unsupported();
        }
    }

    void put(PutResponse r) {
        switch (o.format()) {
            case SIMPLE -> {
                o.println("OK");
                if (r.hasPrevKv()) {
                    Simple.kv(o, valueOnly, r.getPrevKv());
                }
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                if (r.hasPrevKv()) {
                    Fields.kv(o, "Prev", r.getPrevKv());
                }
            }
            case JSON -> o.json(GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> o.protobuf(r);
            default -> throw o.unsupported();
        }
    }

    void del(DeleteRangeResponse r) {
        switch (o.format()) {
            case SIMPLE -> {
                o.println(Long.toString(r.getDeleted()));
                for (KeyValue kv : r.getPrevKvsList()) {
                    Simple.kv(o, valueOnly, kv);
                }
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                Fields.line(o, "Deleted", r.getDeleted());
                for (KeyValue kv : r.getPrevKvsList()) {
                    Fields.kv(o, "Prev", kv);
                }
            }
            case JSON -> o.json(GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> o.protobuf(r);
            default -> throw o.unsupported();
        }
    }

    void txn(TxnResponse r) {
        switch (o.format()) {
            case SIMPLE -> {
                o.println(r.getSucceeded() ? "SUCCESS" : "FAILURE");
                for (ResponseOp op : r.getResponsesList()) {
                    o.println("");
                    response(op);
                }
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                Fields.line(o, "Succeeded", r.getSucceeded());
                for (ResponseOp op : r.getResponsesList()) {
                    response(op);
                }
            }
            case JSON -> o.json(GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> o.protobuf(r);
            default -> throw o.unsupported();
        }
    }

    private void response(ResponseOp op) {
        switch (op.getResponseCase()) {
            case RESPONSE_RANGE -> get(op.getResponseRange());
            case RESPONSE_PUT -> put(op.getResponsePut());
            case RESPONSE_DELETE_RANGE -> del(op.getResponseDeleteRange());
            default -> o.println("unexpected response " + op);
        }
    }
}
