package io.keyline.benchmark.watch;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.client.BenchmarkFailure;
import io.keyline.benchmark.client.Clients;
import io.keyline.benchmark.client.RpcErrors;
import io.keyline.benchmark.client.Unary;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd benchmark's "watch-get": --events puts to "watchkey", then --watchers watchers on --streams
 * streams start from the first of those revisions (unsynced watchers catching up from history)
 * while one more client does serializable gets of "abc" back to back; the gets are the report.
 */
@Command(name = "watch-get", description = "Benchmark watch with get",
        footer = "Benchmark for serialized key gets with many unsynced watchers")
public final class WatchGetCommand extends BenchCommand {
    @Option(names = "--watchers", description = "Total number of watchers (default 10000)")
    int watchers = 10000;
    @Option(names = "--streams", description = "Total number of watcher streams (default 1)")
    int streams = 1;
    @Option(names = "--events", description = "Number of events per watcher (default 8)")
    int events = 8;

    @Override
    protected void execute() throws Exception {
        ByteString key = ByteString.copyFromUtf8("watchkey");
        try (Clients clients = Clients.open(global().clientConfig());
             Clients getClient = Clients.open(global().clientConfig(), 1, 1)) {
            long watchRev = 0;
            for (int i = 0; i < events; i++) {
                try {
                    long rev = Unary.call(clients.kv(0)::put, PutRequest.newBuilder().setKey(key)
                            .setValue(ByteString.copyFromUtf8(Integer.toString(i))).build())
                            .get(30, TimeUnit.SECONDS).getHeader().getRevision();
                    if (i == 0) {
                        watchRev = rev;
                    }
                } catch (Exception e) {
                    throw new BenchmarkFailure("put failed: " + RpcErrors.text(e), e);
                }
            }
            long eventsTotal = (long) watchers * events;
            AtomicLong received = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            Report r = new Report("watch-get");
            List<WatchStream> ws = new ArrayList<>();
            try (ProgressBar bar = bar(eventsTotal)) {
                for (int s = 0; s < streams; s++) {
                    ws.add(new WatchStream(clients.watch(s % clients.clients()), (t, resp) -> {
                        bar.add(resp.getEventsCount());
                        if (received.addAndGet(resp.getEventsCount()) >= eventsTotal) {
                            done.countDown();
                        }
                    }));
                }
                Thread getter = new Thread(() -> getLoop(getClient, r, done), "watch-get-reader");
                r.start();
                for (int i = 0; i < watchers; i++) {
                    WatchStream stream = ws.get(i % ws.size());
                    stream.create(WatchCreateRequest.newBuilder().setKey(key).setStartRevision(watchRev).build())
                            .exceptionally(e -> {
                                done.countDown();
                                return null;
                            });
                    if (i == 0) {
                        getter.start();
                    }
                }
                if (!done.await(120, TimeUnit.SECONDS)) {
                    throw new BenchmarkFailure("watchers received " + received.get() + " of " + eventsTotal + " events in 120s");
                }
                getter.join();
                for (WatchStream stream : ws) {
                    if (stream.failure() != null) {
                        throw new BenchmarkFailure(stream.failure().getMessage());
                    }
                }
            } finally {
                ws.forEach(WatchStream::close);
            }
            print("Get during watch summary:", r.finish());
        }
    }

    private static void getLoop(Clients c, Report r, CountDownLatch done) {
        RangeRequest get = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("abc")).setSerializable(true).build();
        while (done.getCount() > 0) {
            long st = System.nanoTime();
            try {
                Unary.call(c.kv(0)::range, get).get(30, TimeUnit.SECONDS);
                if (done.getCount() > 0) {
                    r.record(st, System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                r.error(RpcErrors.text(e));
            }
        }
    }
}
