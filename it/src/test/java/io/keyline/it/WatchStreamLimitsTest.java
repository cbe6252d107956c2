package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.WatchGrpc;
import io.keyline.api.etcdserverpb.WatchRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What watch streams cost and when they end: thousands of watchers on one stream and across streams,
 * progress notifications at
 * --experimental-watch-progress-notify-interval, a client that stops reading (bounded server memory, no delay
 * for other clients, every event once it reads again), and hasleader streams cancelled when the member has had
 * no leader for about three election timeouts while other streams stay.
 */
class WatchStreamLimitsTest {

    @Test
    void progressNotifyWatchersHearTheRevisionEachInterval() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("watchprogress", 1, "--experimental-watch-progress-notify-interval=1s");
             WatchClient w = WatchClient.open(c.channel(0))) {
            c.kv(0).put(put("/p/a", ByteString.copyFromUtf8("1")));
            w.create(WatchClient.prefix("/p/").setProgressNotify(true).setWatchId(5));
            w.until(WatchResponse::getCreated, Duration.ofSeconds(10));
            WatchResponse progress = w.next(Duration.ofSeconds(5));
            assertNotNull(progress, "no progress notification within 5 s at a 1 s interval");
            assertEquals(5, progress.getWatchId());
            assertEquals(0, progress.getEventsCount());
            assertEquals(2, progress.getHeader().getRevision());
        }
    }

    @Test
    void thousandsOfWatchersOnOneStreamAndAcrossStreamsEachGetTheRevisionOnce() throws Exception {
        int onOneStream = 2000;
        int streams = 10;
        int perStream = 100;
        try (KeylineCluster c = KeylineCluster.start("watchmany", 1)) {
            List<WatchClient> clients = new ArrayList<>();
            try {
                WatchClient big = WatchClient.open(c.channel(0));
                clients.add(big);
                for (int i = 0; i < onOneStream; i++) {
                    big.create(WatchClient.prefix("/many/"));
                }
                for (int s = 0; s < streams; s++) {
                    WatchClient w = WatchClient.open(c.channel(0));
                    clients.add(w);
                    for (int i = 0; i < perStream; i++) {
                        w.create(WatchClient.on("/many/k"));
                    }
                }
                for (WatchClient w : clients) {
                    int want = w == big ? onOneStream : perStream;
                    int[] created = {0};
                    w.until(r -> r.getCreated() && ++created[0] == want, Duration.ofSeconds(30));
                }
                long rev = c.kv(0).txn(io.keyline.api.etcdserverpb.TxnRequest.newBuilder()
                        .addSuccess(io.keyline.api.etcdserverpb.RequestOp.newBuilder().setRequestPut(put("/many/k", ByteString.copyFromUtf8("1"))))
                        .addSuccess(io.keyline.api.etcdserverpb.RequestOp.newBuilder().setRequestPut(put("/many/j", ByteString.copyFromUtf8("2"))))
                        .build()).getHeader().getRevision();
                for (WatchClient w : clients) {
                    int want = w == big ? onOneStream : perStream;
                    java.util.Map<Long, Integer> eventsPerWatcher = new java.util.HashMap<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (eventsPerWatcher.size() < want && System.nanoTime() < deadline) {
                        WatchResponse r = w.next(Duration.ofMillis(200));
                        if (r != null) {
                            assertEquals(rev, r.getHeader().getRevision());
                            eventsPerWatcher.merge(r.getWatchId(), r.getEventsCount(), Integer::sum);
                        }
                    }
                    assertEquals(want, eventsPerWatcher.size(), "watchers of a stream that got the revision");
                    int each = w == big ? 2 : 1;
                    assertTrue(eventsPerWatcher.values().stream().allMatch(n -> n == each), "events per watcher");
                    assertNull(w.next(Duration.ofMillis(300)), "nothing more");
                }
                assertEquals(onOneStream + streams * perStream,
                        c.metrics(0).get("etcd_debugging_mvcc_watcher_total").intValue());
            } finally {
                clients.forEach(WatchClient::close);
            }
        }
    }

    @Test
    void aClientThatStopsReadingNeitherDelaysOthersNorGrowsTheServerAndLaterGetsEverything() throws Exception {
        int puts = 300;
        ByteString value = ByteString.copyFrom(new byte[64 << 10]);
        try (KeylineCluster c = KeylineCluster.start("watchslow", 1);
             WatchClient normal = WatchClient.open(c.channel(0))) {
            normal.create(WatchClient.prefix("/s/"));
            normal.until(WatchResponse::getCreated, Duration.ofSeconds(10));
            StalledClient slow = new StalledClient(c);
            slow.requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchClient.prefix("/s/")).build());
            Thread.sleep(500);
            double heapBefore = heapAfterGc(c);
            List<Long> normalRevs = new ArrayList<>();
            long maxSlow = 0;
            for (int i = 0; i < puts; i++) {
                c.kv(0).withDeadlineAfter(10, TimeUnit.SECONDS).put(put("/s/" + (i % 10), value));
                if (i % 50 == 49) {
                    maxSlow = Math.max(maxSlow, c.metrics(0).get("etcd_debugging_mvcc_slow_watcher_total").longValue());
                }
                for (WatchResponse r; (r = normal.next(Duration.ZERO)) != null; ) {
                    r.getEventsList().forEach(e -> normalRevs.add(e.getKv().getModRevision()));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (normalRevs.size() < puts && System.nanoTime() < deadline) {
                WatchResponse r = normal.next(Duration.ofMillis(200));
                if (r != null) {
                    r.getEventsList().forEach(e -> normalRevs.add(e.getKv().getModRevision()));
                }
            }
            assertEquals(puts, normalRevs.size(), "the reading client got every event while the other stalled");
            double heapAfter = heapAfterGc(c);
            System.out.printf("[watchslow] %d x 64 KiB puts (%d MiB) with one stalled stream: slow watchers seen %d, "
                    + "heap after full GC %.0f -> %.0f MiB%n", puts, puts * 64 / 1024, maxSlow, heapBefore / (1 << 20),
                    heapAfter / (1 << 20));
            assertTrue(maxSlow >= 1, "the stalled watcher fell behind (etcd's slow watcher) instead of buffering");
            // Not asserted: Ratis' log cache holds the written entries too (the same growth without any watcher);
            // the stream's own bound is WatchHub.STREAM_BUFFER batches, which WatchHubTest checks.
            slow.read();
            List<Long> slowRevs = new ArrayList<>();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (slowRevs.size() < puts && System.nanoTime() < deadline) {
                WatchResponse r = slow.received.poll(200, TimeUnit.MILLISECONDS);
                if (r != null) {
                    r.getEventsList().forEach(e -> slowRevs.add(e.getKv().getModRevision()));
                }
            }
            assertEquals(normalRevs, slowRevs, "once it reads, the stalled client gets every event once, in order");
            assertNull(slow.error.get());
            slow.call.get().cancel("done", null);
        }
    }

    @Test
    void hasleaderStreamsAreCancelledAfterAboutThreeElectionTimeoutsWithoutALeader() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("watchnoleader", 3)) {
            int leader = c.leaderIndex();
            int follower = c.someFollower(leader);
            int other = 3 - leader - follower;
            try (WatchClient asks = WatchClient.requiringLeader(c.channel(follower));
                 WatchClient plain = WatchClient.open(c.channel(follower))) {
                asks.create(WatchClient.on("a"));
                plain.create(WatchClient.on("a"));
                asks.until(WatchResponse::getCreated, Duration.ofSeconds(10));
                plain.until(WatchResponse::getCreated, Duration.ofSeconds(10));
                c.pause(leader);
                c.pause(other);
                try {
                    long t0 = System.nanoTime();
                    while (asks.error == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20)) {
                        Thread.sleep(100);
                    }
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    System.out.printf("[watchnoleader] hasleader stream ended %d ms after the quorum was cut off: %s%n",
                            ms, asks.error);
                    assertNotNull(asks.error, "the hasleader stream was not cancelled within 20 s");
                    Status s = Status.fromThrowable(asks.error);
                    assertEquals(Status.Code.UNAVAILABLE, s.getCode());
                    assertEquals("etcdserver: no leader", s.getDescription());
                    assertNull(plain.error, "a stream without hasleader stays open");
                } finally {
                    c.resume(leader);
                    c.resume(other);
                }
            }
        }
    }

    /** The member's heap after a full collection (jcmd), so that only what is still referenced counts. */
    private static double heapAfterGc(KeylineCluster c) throws Exception {
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder("jcmd", Long.toString(c.pid(0)), "GC.run").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd GC.run failed");
        }
        return c.metrics(0).get("keyline_jvm_heap_used_bytes");
    }

    /** A watch stream whose client asks gRPC for no responses until {@link #read}: the server cannot send. */
    private static final class StalledClient {
        final LinkedBlockingQueue<WatchResponse> received = new LinkedBlockingQueue<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicReference<ClientCallStreamObserver<WatchRequest>> call = new AtomicReference<>();
        final io.grpc.stub.StreamObserver<WatchRequest> requests;

        StalledClient(KeylineCluster c) {
            requests = WatchGrpc.newStub(c.channel(0)).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<WatchRequest> s) {
                    call.set(s);
                    s.disableAutoRequestWithInitial(0);
                }

                @Override
                public void onNext(WatchResponse r) {
                    received.add(r);
                    call.get().request(1);
                }

                @Override
                public void onError(Throwable t) {
                    error.set(t);
                }

                @Override
                public void onCompleted() {
                }
            });
        }

        void read() {
            call.get().request(1);
        }
    }

    private static PutRequest put(String k, ByteString v) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k)).setValue(v).build();
    }
}
