package io.keyline.etcdctl.watch;

import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import io.keyline.etcdctl.output.Fields;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import io.keyline.etcdctl.output.Simple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Watch responses in each format. etcdctl prints the Go client's WatchResponse struct, so json
 * has its Go field names and protobuf re-encodes only header, events and the flags.
 */
final class WatchPrinter {
    private WatchPrinter() {}

    static void print(Output o, WatchResponse r) {
        switch (o.format()) {
            case SIMPLE -> {
                for (Event e : r.getEventsList()) {
                    o.println(e.getType().name());
                    if (e.hasPrevKv()) {
                        Simple.kv(o, false, e.getPrevKv());
                    }
                    Simple.kv(o, false, e.getKv());
                }
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                for (Event e : r.getEventsList()) {
                    Fields.line(o, "Type", e.getType().name());
                    if (e.hasPrevKv()) {
                        Fields.kv(o, "Prev", e.getPrevKv());
                    }
                    Fields.kv(o, "", e.getKv());
                }
            }
            case JSON -> {
                Map<String, Object> obj = GoJson.object();
                obj.put("Header", ProtoJson.of(r.getHeader()));
                List<Object> events = new ArrayList<>();
                r.getEventsList().forEach(e -> events.add(ProtoJson.of(e)));
                obj.put("Events", events);
                obj.put("CompactRevision", r.getCompactRevision());
                obj.put("Canceled", r.getCanceled());
                obj.put("Created", r.getCreated());
                o.json(GoJson.write(obj));
            }
            case PROTOBUF -> o.protobuf(WatchResponse.newBuilder().setHeader(r.getHeader())
                    .addAllEvents(r.getEventsList()).setCompactRevision(r.getCompactRevision())
                    .setCanceled(r.getCanceled()).setCreated(r.getCreated()).build());
            default -> throw o.unsupported();
        }
    }
}
