package io.keyline.etcdctl.cluster;

import io.keyline.api.etcdserverpb.HashKVResponse;
import io.keyline.api.etcdserverpb.StatusResponse;
import io.keyline.etcdctl.output.Fields;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.GoText;
import io.keyline.etcdctl.output.Humanize;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import io.keyline.etcdctl.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** endpoint health/status/hashkv results in each format (protobuf is refused for all three). */
final class EndpointPrinter {
    record Health(String endpoint, boolean health, String took, String error) {}

    record Status(String endpoint, StatusResponse resp) {}

    record Hash(String endpoint, HashKVResponse resp) {}

    private EndpointPrinter() {}

    static void health(Output o, List<Health> hs) {
        switch (o.format()) {
            case SIMPLE -> {
                for (Health h : hs) {
                    if (h.error().isEmpty()) {
                        // etcdctl 3.5 prints this on stdout; 3.4 printed it on stderr.
                        o.println(h.endpoint() + " is healthy: successfully committed proposal: took = " + h.took());
                    } else {
                        o.errln(h.endpoint() + " is unhealthy: failed to commit proposal: " + h.error());
                    }
                }
            }
            case FIELDS -> {
                for (Health h : hs) {
                    Fields.quoted(o, "Endpoint", h.endpoint());
                    Fields.line(o, "Health", h.health());
                    Fields.line(o, "Took", h.took());
                    Fields.line(o, "Error", h.error());
                    o.println("");
                }
            }
            case JSON -> {
                List<Object> list = new ArrayList<>();
                for (Health h : hs) {
                    Map<String, Object> m = GoJson.object();
                    m.put("endpoint", h.endpoint());
                    m.put("health", h.health());
                    m.put("took", h.took());
                    if (!h.error().isEmpty()) {
                        m.put("error", h.error());
                    }
                    list.add(m);
                }
                o.json(GoJson.write(list));
            }
            case TABLE -> {
                Table t = new Table(List.of("endpoint", "health", "took", "error"));
                hs.forEach(h -> t.add(List.of(h.endpoint(), Boolean.toString(h.health()), h.took(), h.error())));
                o.print(t.render());
            }
            default -> throw o.unsupported();
        }
    }

    private static List<String> statusRow(Status s) {
        StatusResponse r = s.resp();
        return List.of(s.endpoint(), GoText.hex(r.getHeader().getMemberId()), r.getVersion(),
                Humanize.bytes(r.getDbSize()), Boolean.toString(r.getLeader() == r.getHeader().getMemberId()),
                Boolean.toString(r.getIsLearner()), Long.toUnsignedString(r.getRaftTerm()),
                Long.toUnsignedString(r.getRaftIndex()), Long.toUnsignedString(r.getRaftAppliedIndex()),
                String.join(", ", r.getErrorsList()));
    }

    static void status(Output o, List<Status> ss) {
        switch (o.format()) {
            case SIMPLE -> ss.forEach(s -> o.println(String.join(", ", statusRow(s))));
            case TABLE -> {
                Table t = new Table(List.of("endpoint", "ID", "version", "db size", "is leader", "is learner",
                        "raft term", "raft index", "raft applied index", "errors"));
                ss.forEach(s -> t.add(statusRow(s)));
                o.print(t.render());
            }
            case FIELDS -> {
                for (Status s : ss) {
                    StatusResponse r = s.resp();
                    Fields.header(o, r.getHeader());
                    Fields.quoted(o, "Version", r.getVersion());
                    Fields.line(o, "DBSize", r.getDbSize());
                    Fields.line(o, "Leader", Long.toUnsignedString(r.getLeader()));
                    Fields.line(o, "IsLearner", r.getIsLearner());
                    Fields.line(o, "RaftIndex", Long.toUnsignedString(r.getRaftIndex()));
                    Fields.line(o, "RaftTerm", Long.toUnsignedString(r.getRaftTerm()));
                    Fields.line(o, "RaftAppliedIndex", Long.toUnsignedString(r.getRaftAppliedIndex()));
                    Fields.line(o, "Errors", "[" + String.join(" ", r.getErrorsList()) + "]");
                    Fields.quoted(o, "Endpoint", s.endpoint());
                    o.println("");
                }
            }
            case JSON -> {
                List<Object> list = new ArrayList<>();
                for (Status s : ss) {
                    Map<String, Object> m = GoJson.object();
                    m.put("Endpoint", s.endpoint());
                    m.put("Status", ProtoJson.of(s.resp()));
                    list.add(m);
                }
                o.json(GoJson.write(list));
            }
            default -> throw o.unsupported();
        }
    }

    static void hashKv(Output o, List<Hash> hs) {
        switch (o.format()) {
            case SIMPLE -> hs.forEach(h -> o.println(h.endpoint() + ", " + Integer.toUnsignedString(h.resp().getHash())));
            case TABLE -> {
                Table t = new Table(List.of("endpoint", "hash"));
                hs.forEach(h -> t.add(List.of(h.endpoint(), Integer.toUnsignedString(h.resp().getHash()))));
                o.print(t.render());
            }
            case FIELDS -> {
                for (Hash h : hs) {
                    Fields.header(o, h.resp().getHeader());
                    Fields.quoted(o, "Endpoint", h.endpoint());
                    Fields.line(o, "Hash", Integer.toUnsignedString(h.resp().getHash()));
                    o.println("");
                }
            }
            case JSON -> {
                List<Object> list = new ArrayList<>();
                for (Hash h : hs) {
                    Map<String, Object> m = GoJson.object();
                    m.put("Endpoint", h.endpoint());
                    m.put("HashKV", ProtoJson.of(h.resp()));
                    list.add(m);
                }
                o.json(GoJson.write(list));
            }
            default -> throw o.unsupported();
        }
    }
}
