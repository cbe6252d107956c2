package io.keyline.gateway.watch;

import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * etcd's sendFragments: a response of a watcher created with {@code fragment} that reaches --max-request-bytes is
 * sent as several, each with as many events as fit (at least one), all but the last marked {@code fragment}.
 */
final class Fragments {
    private Fragments() {
    }

    static void send(WatchResponse r, long maxBytes, Consumer<WatchResponse> out) {
        if (r.getSerializedSize() < maxBytes || r.getEventsCount() < 2) {
            out.accept(r);
            return;
        }
        List<Event> events = r.getEventsList();
        WatchResponse.Builder shell = r.toBuilder().clearEvents().setFragment(true);
        int next = 0;
        while (next < events.size()) {
            List<Event> part = new ArrayList<>();
            long size = shell.build().getSerializedSize();
            while (next < events.size()) {
                Event e = events.get(next);
                long withIt = size + eventFieldSize(e);
                if (!part.isEmpty() && withIt >= maxBytes) {
                    break;
                }
                part.add(e);
                size = withIt;
                next++;
            }
            out.accept(shell.clone().addAllEvents(part).setFragment(next < events.size()).build());
        }
    }

    /** Bytes one event adds to a WatchResponse: tag, length prefix and the message. */
    private static long eventFieldSize(Event e) {
        int n = e.getSerializedSize();
        return 1 + com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(n) + n;
    }
}
