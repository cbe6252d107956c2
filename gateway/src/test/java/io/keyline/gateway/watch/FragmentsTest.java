package io.keyline.gateway.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import io.keyline.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FragmentsTest {

    @ParameterizedTest(name = "{0} events of {1} bytes at limit {2} -> {3}")
    @CsvSource({
        "1, 5000, 1024, 1",   // one event is never split, however large
        "3, 10, 1024, 1",     // under the limit: sent whole
        "5, 1000, 4096, 2",   // three fit below the limit, then the other two
        "4, 2000, 1024, 4",   // each fragment holds at least one event
    })
    void splitsAtMaxRequestBytesKeepingEveryEventInOrder(int events, int valueSize, long limit, int responses) {
        WatchResponse.Builder r = WatchResponse.newBuilder().setWatchId(3)
                .setHeader(ResponseHeader.newBuilder().setRevision(9));
        for (int i = 0; i < events; i++) {
            r.addEvents(Event.newBuilder().setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k" + i))
                    .setValue(ByteString.copyFrom(new byte[valueSize])).setModRevision(9)));
        }
        WatchResponse whole = r.build();
        List<WatchResponse> sent = new ArrayList<>();
        Fragments.send(whole, limit, sent::add);
        assertEquals(responses, sent.size(), "responses");
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            WatchResponse f = sent.get(i);
            assertEquals(i < sent.size() - 1, f.getFragment(), "only the last is not marked fragment");
            assertEquals(3, f.getWatchId());
            assertEquals(9, f.getHeader().getRevision());
            assertTrue(f.getEventsCount() == 1 || f.getSerializedSize() < limit, "fragment " + i + " too large");
            all.addAll(f.getEventsList());
        }
        assertEquals(whole.getEventsList(), all);
    }
}
