package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * etcd's robustness-suite watch guarantees on a 3-member cluster: while clients on every member run puts,
 * range deletes, multi-key txns and compactions, one watcher per member (prev_kv, with a RequestProgress every
 * 200 ms) records its stream. Each stream must be ordered, unique, atomic, bookmarkable and reliable, every
 * member must deliver the same events, every revision a client saw acknowledged must be in them, and a second
 * watch reopened mid-run from its last revision + 1 must continue exactly (resumable).
 */
class WatchGuaranteesTest {
    private static final Duration RUN = Duration.ofSeconds(10);
    private static final String PREFIX = "/g/";

    @Test
    void watchHistoriesOnEveryMemberKeepEtcdsSixGuarantees() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("watchguarantees", 3)) {
            c.leaderIndex();
            List<WatchClient> main = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                WatchClient w = WatchClient.open(c.channel(m));
                w.create(WatchClient.prefix(PREFIX).setStartRevision(2).setPrevKv(true));
                main.add(w);
            }
            List<List<WatchResponse>> recordings = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean recorded = new AtomicBoolean();
            for (WatchClient w : main) {
                List<WatchResponse> rec = Collections.synchronizedList(new ArrayList<>());
                recordings.add(rec);
                readers.add(start(() -> record(w, rec, stop, recorded)));
            }
            Set<Long> acked = Collections.synchronizedSet(new TreeSet<>());
            List<Thread> writers = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                int member = m;
                writers.add(start(() -> write(c, member, acked, stop)));
            }
            writers.add(start(() -> compact(c, stop)));
            Thread.sleep(RUN.toMillis() / 2);
            List<Event> resumed = resumeMidRun(c, stop);
            Thread.sleep(RUN.toMillis() / 2);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            long last = c.kv(c.leaderIndex()).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("x"))
                    .build()).getHeader().getRevision();
            for (List<WatchResponse> rec : recordings) {
                awaitRevision(rec, last);
            }
            Thread.sleep(500); // a repeated event would arrive right behind
            recorded.set(true);
            for (Thread t : readers) {
                t.join();
            }
            List<Event> reference = null;
            for (int m = 0; m < 3; m++) {
                List<WatchResponse> rec = recordings.get(m);
                List<WatchResponse> stream;
                synchronized (rec) {
                    stream = List.copyOf(rec);
                }
                String who = "member " + m + ": ";
                assertEquals(List.of(), WatchHistoryChecker.ordered(stream), who + "ordered");
                assertEquals(List.of(), WatchHistoryChecker.unique(stream), who + "unique");
                assertEquals(List.of(), WatchHistoryChecker.atomic(stream), who + "atomic");
                assertEquals(List.of(), WatchHistoryChecker.bookmarkable(stream), who + "bookmarkable");
                assertEquals(List.of(), WatchHistoryChecker.reliable(stream, 2), who + "reliable");
                List<Event> events = WatchHistoryChecker.events(stream);
                Set<Long> revs = new TreeSet<>();
                events.forEach(e -> revs.add(e.getKv().getModRevision()));
                Set<Long> missing = new TreeSet<>(acked);
                missing.removeAll(revs);
                assertEquals(Set.of(), missing, who + "acknowledged revisions without events");
                long progress = stream.stream().filter(r -> r.getEventsCount() == 0 && !r.getCreated()).count();
                System.out.printf("[watchguarantees] member %d: %d responses, %d events up to revision %d, "
                        + "%d progress notifications%n", m, stream.size(), events.size(), last, progress);
                assertTrue(progress > 0, who + "no progress notification answered");
                if (reference == null) {
                    reference = events;
                } else {
                    assertEquals(reference, events, who + "same events as member 0");
                }
            }
            long from = resumed.get(0).getKv().getModRevision();
            List<Event> tail = reference.stream().filter(e -> e.getKv().getModRevision() >= from).toList();
            assertEquals(tail.subList(0, resumed.size()), resumed, "resumed watch continues exactly");
            main.forEach(WatchClient::close);
        }
    }

    /** Records the stream until {@code done}; asks for progress every 200 ms while the writers run. */
    private static void record(WatchClient w, List<WatchResponse> rec, AtomicBoolean stopped, AtomicBoolean done) {
        long nextProgress = System.nanoTime();
        try {
            while (!done.get() && w.error == null) {
                WatchResponse r = w.next(Duration.ofMillis(50));
                if (r != null) {
                    rec.add(r);
                }
                if (!stopped.get() && System.nanoTime() >= nextProgress) {
                    w.requestProgress();
                    nextProgress = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the recording holds an event at or above {@code revision}. */
    private static void awaitRevision(List<WatchResponse> rec, long revision) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (rec) {
                for (WatchResponse r : rec) {
                    for (Event e : r.getEventsList()) {
                        if (e.getKv().getModRevision() >= revision) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no event at revision " + revision + " recorded");
    }

    /** Watches from now on member 1, stops mid-stream, reopens from the last revision + 1 on member 2. */
    private static List<Event> resumeMidRun(KeylineCluster c, AtomicBoolean stop) throws Exception {
        long last = 0;
        try (WatchClient first = WatchClient.open(c.channel(1))) {
            first.create(WatchClient.prefix(PREFIX));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < until) {
                WatchResponse r = first.next(Duration.ofMillis(100));
                if (r != null && r.getEventsCount() > 0) {
                    last = r.getEvents(r.getEventsCount() - 1).getKv().getModRevision();
                }
            }
        }
        List<Event> out = new ArrayList<>();
        try (WatchClient second = WatchClient.open(c.channel(2))) {
            second.create(WatchClient.prefix(PREFIX).setStartRevision(last + 1).setPrevKv(true));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                WatchResponse r = second.next(Duration.ofMillis(100));
                if (r != null) {
                    assertTrue(!r.getCanceled(), "resumed watch cancelled: " + r);
                    out.addAll(r.getEventsList());
                }
            }
        }
        assertTrue(!out.isEmpty() && out.get(0).getKv().getModRevision() == last + 1,
                "resumed watch starts at " + (last + 1) + ": " + (out.isEmpty() ? "nothing" : out.get(0)));
        return out;
    }

    private static void write(KeylineCluster c, int member, Set<Long> acked, AtomicBoolean stop) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (!stop.get()) {
            String k = PREFIX + rnd.nextInt(12);
            try {
                var kv = c.kv(member).withDeadlineAfter(5, TimeUnit.SECONDS);
                int op = rnd.nextInt(10);
                long rev;
                if (op < 5) {
                    rev = kv.put(put(k, "v" + rnd.nextInt(1000))).getHeader().getRevision();
                } else if (op < 7) {
                    var r = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b(PREFIX + rnd.nextInt(6)))
                            .setRangeEnd(b(PREFIX + (6 + rnd.nextInt(6)))).build());
                    rev = r.getDeleted() > 0 ? r.getHeader().getRevision() : 0;
                } else {
                    var r = kv.txn(TxnRequest.newBuilder()
                            .addCompare(Compare.newBuilder().setKey(b(k)).setTarget(Compare.CompareTarget.VERSION)
                                    .setResult(Compare.CompareResult.GREATER).setVersion(0))
                            .addSuccess(RequestOp.newBuilder().setRequestPut(put(k, "t" + rnd.nextInt(1000))))
                            .addSuccess(RequestOp.newBuilder().setRequestPut(put(k + "x", "t")))
                            .addFailure(RequestOp.newBuilder().setRequestPut(put(k, "created")))
                            .addFailure(RequestOp.newBuilder().setRequestDeleteRange(
                                    DeleteRangeRequest.newBuilder().setKey(b(k + "x"))))
                            .build());
                    rev = r.getHeader().getRevision();
                }
                if (rev > 0) {
                    acked.add(rev);
                }
            } catch (RuntimeException e) {
                // a timed-out write may or may not have applied: it is simply not counted as acknowledged
            }
        }
    }

    private static void compact(KeylineCluster c, AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                Thread.sleep(1500);
                int leader = c.leaderIndex();
                long rev = c.kv(leader).range(RangeRequest.newBuilder().setKey(b("x")).build()).getHeader().getRevision();
                if (rev > 200) {
                    c.kv(leader).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .compact(CompactionRequest.newBuilder().setRevision(rev - 150).build());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // compaction is best effort here
            }
        }
    }

    private static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build();
    }

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
