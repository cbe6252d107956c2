package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A follower hears of a commit as soon as the leader makes it, as etcd's followers do: after a lone write
 * through the leader, a watcher on a follower gets the event, and a serializable read there sees the value,
 * well within the heartbeat interval (500 ms) they would otherwise wait for. Writes are spaced wider than
 * that interval, so a heartbeat cannot carry the commit by luck for most of them.
 */
class FollowerCommitNoticeTest {
    private static final int WRITES = 7;
    private static final int OWN_WRITES = 300;

    @Test
    void aFollowerSeesALoneWriteWithoutWaitingForAHeartbeat() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("commitnotice", 3)) {
            int leader = c.leaderIndex();
            int follower = c.someFollower(leader);
            List<Long> watchMillis = new ArrayList<>();
            List<Long> readMillis = new ArrayList<>();
            try (WatchClient w = WatchClient.open(c.channel(follower))) {
                w.create(WatchClient.prefix("/notice/"));
                w.until(WatchResponse::getCreated, Duration.ofSeconds(10));
                for (int i = 0; i < WRITES; i++) {
                    Thread.sleep(700);
                    ByteString key = ByteString.copyFromUtf8("/notice/" + i);
                    long revision = c.kv(leader).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .put(PutRequest.newBuilder().setKey(key).setValue(key).build()).getHeader().getRevision();
                    long acked = System.nanoTime();
                    List<WatchResponse> got = w.until(r -> r.getEventsCount() > 0, Duration.ofSeconds(5));
                    watchMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acked));
                    assertEquals(revision, got.get(got.size() - 1).getEvents(0).getKv().getModRevision());
                    readMillis.add(untilReadable(c, follower, key, acked));
                }
            }
            Collections.sort(watchMillis);
            Collections.sort(readMillis);
            assertTrue(watchMillis.get(WRITES / 2) < 100, "watch delays after the write's ack (ms): " + watchMillis);
            assertTrue(readMillis.get(WRITES / 2) < 100, "serializable read delays (ms): " + readMillis);
        }
    }

    /**
     * etcd answers a write on the member that took it only once that member has applied it, so a
     * serializable read there right after the answer sees the write.
     */
    @Test
    void aWriteThroughAFollowerIsAppliedThereBeforeItIsAnswered() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("ownwrites", 3)) {
            int follower = c.someFollower(c.leaderIndex());
            List<String> stale = new ArrayList<>();
            for (int i = 0; i < OWN_WRITES; i++) {
                ByteString key = ByteString.copyFromUtf8("/own/" + i);
                long revision = c.kv(follower).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder().setKey(key).setValue(key).build()).getHeader().getRevision();
                RangeResponse read = c.kv(follower).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .range(RangeRequest.newBuilder().setKey(key).setSerializable(true).build());
                if (read.getCount() == 0 || read.getHeader().getRevision() < revision) {
                    stale.add(i + "@" + revision + " read at " + read.getHeader().getRevision());
                }
            }
            assertTrue(stale.isEmpty(), "serializable reads on the follower that missed its own write: " + stale);
        }
    }

    /** Milliseconds from {@code acked} until a serializable read on {@code member} returns {@code key}. */
    private static long untilReadable(KeylineCluster c, int member, ByteString key, long acked) {
        RangeRequest get = RangeRequest.newBuilder().setKey(key).setSerializable(true).build();
        while (c.kv(member).withDeadlineAfter(10, TimeUnit.SECONDS).range(get).getCount() == 0) {
            if (System.nanoTime() - acked > TimeUnit.SECONDS.toNanos(5)) {
                throw new AssertionError("follower never served " + key.toStringUtf8());
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acked);
    }
}
