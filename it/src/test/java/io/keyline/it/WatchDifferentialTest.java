package io.keyline.it;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Watches against real etcd 3.4 and Keyline with the same history: the real etcdctl {@code watch} (history,
 * prefix, range, --prev-kv, txn events, after compaction), raw gRPC streams (created/canceled answers,
 * duplicate ids, empty ranges, filters, future starts, progress requests, fragments at --max-request-bytes,
 * compact_revision) and jetcd watches must give the same output, response for response.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchDifferentialTest {
    /** Small enough that a txn of a few 1 KB values is fragmented. */
    private static final int MAX_REQUEST_BYTES = 4096;
    private static final Duration QUIET = Duration.ofMillis(700);

    private DifferentialPair pair;

    @BeforeAll
    void start() {
        pair = DifferentialPair.start("watch", "--max-request-bytes=" + MAX_REQUEST_BYTES);
        pair.ctl("put", "k1", "v1");
        pair.ctl("put", "k2", "v2");
        pair.ctl("put", "k1", "v1b");
        pair.ctlStdin("put k3 v3\nput k4 v4\ndel k2\n\n\n", "txn");
        pair.ctl("del", "k1");
        pair.ctl("put", "other", "o");
        pair.ctl("del", "k", "k9");
    }

    @AfterEach
    void verify() {
        pair.assertNoMismatches();
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    @Order(1)
    void etcdctlWatchHistory() {
        for (String line : new String[] {"watch --prefix k --rev 1", "watch k1 --rev 1 --prev-kv",
                "watch k1 k4 --rev 2 --prev-kv", "watch --prefix k --rev 4 -w json", "watch --rev 1 --prefix ''",
                "watch k3 --rev 1 -w fields"}) {
            ctlWatch(line.replace("''", "\u0000EMPTY").split(" "));
        }
    }

    @Test
    @Order(2)
    void grpcCreateCancelAndBadInput() {
        grpc("history with prev_kv", w -> w.create(WatchClient.prefix("k").setStartRevision(1).setPrevKv(true)));
        grpc("filters", w -> {
            w.create(WatchClient.prefix("k").setStartRevision(1).addFilters(WatchCreateRequest.FilterType.NOPUT));
            w.create(WatchClient.prefix("k").setStartRevision(1).addFilters(WatchCreateRequest.FilterType.NODELETE));
        });
        grpc("ids, duplicates, empty range, cancels", w -> {
            w.create(WatchClient.on("a").setWatchId(7));
            w.create(WatchClient.on("a").setWatchId(7));
            w.create(WatchClient.on("a"));
            w.create(WatchClient.on("b").setRangeEnd(ByteString.copyFromUtf8("a")));
            w.cancel(99);
            w.cancel(7);
            w.cancel(7);
            w.create(WatchClient.on("a"));
        });
        grpc("from key (range_end \\0) and everything", w -> {
            w.create(WatchClient.on("k3").setRangeEnd(ByteString.copyFrom(new byte[] {0})).setStartRevision(1));
            w.create(WatchClient.on("").setRangeEnd(ByteString.copyFrom(new byte[] {0})).setStartRevision(2));
        });
        grpc("progress request on a synced stream", w -> {
            w.create(WatchClient.on("nothing"));
            sleep(300);
            w.requestProgress();
        });
    }

    @Test
    @Order(3)
    void grpcLiveEventsFutureStartAndFragments() {
        long next = revision() + 1;
        try (WatchClient onEtcd = WatchClient.open(pair.etcd.channel());
             WatchClient onCandidate = WatchClient.open(pair.candidate.channel())) {
            pair.same("live watches created", side -> {
                WatchClient w = side == pair.etcd ? onEtcd : onCandidate;
                w.create(WatchClient.prefix("live/").setPrevKv(true).setFragment(true));
                w.create(WatchClient.on("live/b").setStartRevision(next + 1));
                return render(drain(w));
            });
            pair.ctl("put", "live/a", "1");
            pair.ctl("put", "live/b", "1");
            String big = "x".repeat(1000);
            pair.ctlStdin("put live/a " + big + "\nput live/b " + big + "\nput live/c " + big + "\nput live/d " + big
                    + "\nput live/e " + big + "\n\n\n", "txn");
            pair.ctl("del", "live/", "live0");
            pair.same("live events, fragments, a future start", side -> render(drain(side == pair.etcd ? onEtcd : onCandidate)));
        }
    }

    @Test
    @Order(4)
    void jetcdWatchWithPrevKv() {
        pair.same("jetcd prefix watch from revision 1", side -> {
            List<String> events = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            Watch.Listener listener = Watch.listener(r -> {
                synchronized (events) {
                    for (WatchEvent e : r.getEvents()) {
                        events.add(e.getEventType() + " " + JetcdKvDifferentialTest.kv(e.getKeyValue()) + " prev="
                                + JetcdKvDifferentialTest.kv(e.getPrevKV()));
                    }
                    if (events.size() >= 9) {
                        done.countDown();
                    }
                }
            });
            ByteSequence k = ByteSequence.from("k", StandardCharsets.UTF_8);
            try (Watch.Watcher w = side.jetcd().getWatchClient().watch(k, WatchOption.builder().isPrefix(true)
                    .withPrevKV(true).withRevision(1).build(), listener)) {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            synchronized (events) {
                return String.join("\n", events);
            }
        });
    }

    @Test
    @Order(5)
    void afterCompaction() {
        long compactAt = revision() - 3;
        pair.same("compact", side -> KVGrpc.newBlockingStub(side.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .compact(CompactionRequest.newBuilder().setRevision(compactAt).setPhysical(true).build()));
        ctlWatch("watch", "--prefix", "k", "--rev", "1");
        ctlWatch("watch", "--prefix", "live/", "--rev", "" + compactAt, "--prev-kv");
        grpc("compacted start revision", w -> w.create(WatchClient.prefix("live/").setStartRevision(compactAt - 1)));
        grpc("start at the compaction revision", w -> w.create(WatchClient.prefix("live/").setStartRevision(compactAt)));
    }

    private long revision() {
        return pair.etcd.kv().range(io.keyline.api.etcdserverpb.RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("x")).build()).getHeader().getRevision();
    }

    /** etcdctl watch runs until killed: both sides run it for the same time and print what arrived. */
    private void ctlWatch(String... args) {
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace("\u0000EMPTY", "");
        }
        pair.same("etcdctl " + String.join(" ", args), side -> side.ctl.runWithTimeout(Duration.ofMillis(1500), args));
    }

    private void grpc(String what, Consumer<WatchClient> script) {
        pair.same(what, side -> {
            try (WatchClient w = WatchClient.open(side.channel())) {
                script.accept(w);
                return render(drain(w));
            }
        });
    }

    /** What arrives until the stream goes quiet; the first answer may wait for the connection. */
    private static List<WatchResponse> drain(WatchClient w) {
        try {
            List<WatchResponse> out = new ArrayList<>();
            WatchResponse first = w.next(Duration.ofSeconds(5));
            if (first != null) {
                out.add(first);
                out.addAll(w.drain(QUIET));
            }
            return out;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The responses of each watch id in the order they came; how etcd interleaves different watchers of one stream
     * follows Go's map order, which is random, so that is not compared.
     */
    private static String render(List<WatchResponse> responses) {
        StringBuilder sb = new StringBuilder();
        List<WatchResponse> byWatch = new ArrayList<>(responses);
        byWatch.sort(java.util.Comparator.comparingLong(WatchResponse::getWatchId));
        for (WatchResponse r : byWatch) {
            sb.append("WatchResponse {\n").append(com.google.protobuf.TextFormat.printer().printToString(r)).append("}\n");
        }
        return sb.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
