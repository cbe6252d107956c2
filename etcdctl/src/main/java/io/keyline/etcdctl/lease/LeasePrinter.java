package io.keyline.etcdctl.lease;

import io.keyline.api.etcdserverpb.LeaseGrantResponse;
import io.keyline.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keyline.api.etcdserverpb.LeaseLeasesResponse;
import io.keyline.api.etcdserverpb.LeaseRevokeResponse;
import io.keyline.api.etcdserverpb.LeaseStatus;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.output.Fields;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.GoText;
import io.keyline.etcdctl.output.Headers;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lease results in each format. The Go client hands etcdctl its own structs here, not the wire
 * messages: json shows their field names (header fields lifted to the top) and protobuf output
 * is refused.
 */
final class LeasePrinter {
    private final Output o;

    LeasePrinter(Output o) {
        this.o = o;
    }

    void grant(LeaseGrantResponse r) {
        switch (o.format()) {
            case SIMPLE -> o.println("lease " + GoText.hex016(r.getID()) + " granted with TTL(" + r.getTTL() + "s)");
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                Fields.line(o, "ID", r.getID());
                Fields.line(o, "TTL", r.getTTL());
            }
            case JSON -> {
                Map<String, Object> obj = Headers.flattened(r.hasHeader(), r.getHeader());
                obj.put("ID", r.getID());
                obj.put("TTL", r.getTTL());
                obj.put("Error", r.getError());
                o.json(GoJson.write(obj));
            }
            case PROTOBUF -> throw notMarshalable("clientv3.LeaseGrantResponse");
            default -> throw o.unsupported();
        }
    }

    void revoke(long id, LeaseRevokeResponse r) {
        switch (o.format()) {
            case SIMPLE -> o.println("lease " + GoText.hex016(id) + " revoked");
            case FIELDS -> Fields.header(o, r.getHeader());
            case JSON -> o.json(GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> throw notMarshalable("etcdserverpb.LeaseRevokeResponse");
            default -> throw o.unsupported();
        }
    }

    void keepAlive(LeaseKeepAliveResponse r) {
        switch (o.format()) {
            case SIMPLE -> o.println("lease " + GoText.hex016(r.getID()) + " keepalived with TTL(" + r.getTTL() + ")");
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                Fields.line(o, "ID", r.getID());
                Fields.line(o, "TTL", r.getTTL());
            }
            case JSON -> {
                Map<String, Object> obj = Headers.flattened(r.hasHeader(), r.getHeader());
                obj.put("ID", r.getID());
                obj.put("TTL", r.getTTL());
                o.json(GoJson.write(obj));
            }
            case PROTOBUF -> throw notMarshalable("clientv3.LeaseKeepAliveResponse");
            default -> throw o.unsupported();
        }
    }

    void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        switch (o.format()) {
            case SIMPLE -> {
                if (r.getGrantedTTL() == 0 && r.getTTL() == -1) {
                    o.println("lease " + GoText.hex016(r.getID()) + " already expired");
                    return;
                }
                StringBuilder sb = new StringBuilder("lease " + GoText.hex016(r.getID()) + " granted with TTL("
                        + r.getGrantedTTL() + "s), remaining(" + r.getTTL() + "s)");
                if (keys) {
                    List<String> ks = new ArrayList<>();
                    r.getKeysList().forEach(k -> ks.add(k.toStringUtf8()));
                    sb.append(", attached keys([").append(String.join(" ", ks)).append("])");
                }
                o.println(sb.toString());
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                Fields.line(o, "ID", r.getID());
                Fields.line(o, "TTL", r.getTTL());
                Fields.line(o, "GrantedTTL", r.getGrantedTTL());
                r.getKeysList().forEach(k -> Fields.line(o, "Key", GoText.quote(k.toByteArray())));
            }
            case JSON -> {
                Map<String, Object> obj = Headers.flattened(r.hasHeader(), r.getHeader());
                obj.put("id", r.getID());
                obj.put("ttl", r.getTTL());
                obj.put("granted-ttl", r.getGrantedTTL());
                List<Object> ks = new ArrayList<>();
                r.getKeysList().forEach(k -> ks.add(k.toByteArray()));
                obj.put("keys", ks.isEmpty() ? null : ks);
                o.json(GoJson.write(obj));
            }
            case PROTOBUF -> throw notMarshalable("*clientv3.LeaseTimeToLiveResponse");
            default -> throw o.unsupported();
        }
    }

    void leases(LeaseLeasesResponse r) {
        switch (o.format()) {
            case SIMPLE -> {
                o.println("found " + r.getLeasesCount() + " leases");
                for (LeaseStatus l : r.getLeasesList()) {
                    o.println(GoText.hex016(l.getID()));
                }
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                for (LeaseStatus l : r.getLeasesList()) {
                    Fields.line(o, "ID", l.getID());
                }
            }
            case JSON -> {
                Map<String, Object> obj = Headers.flattened(r.hasHeader(), r.getHeader());
                List<Object> ls = new ArrayList<>();
                for (LeaseStatus l : r.getLeasesList()) {
                    Map<String, Object> m = GoJson.object();
                    m.put("id", l.getID());
                    ls.add(m);
                }
                obj.put("leases", ls);
                o.json(GoJson.write(obj));
            }
            case PROTOBUF -> throw notMarshalable("*clientv3.LeaseLeasesResponse");
            default -> throw o.unsupported();
        }
    }

    /** etcdctl's protobuf printer refuses the Go client's own structs. */
    private static CtlException notMarshalable(String type) {
        return CtlException.of(CtlException.EXIT_BAD_FEATURE, "marshal unsupported for type " + type);
    }
}
