package io.keyline.benchmark.watch;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.client.BenchmarkFailure;
import io.keyline.benchmark.client.Clients;
import io.keyline.benchmark.client.GoVarint;
import io.keyline.benchmark.client.Unary;
import io.keyline.benchmark.load.ClosedLoop;
import io.keyline.benchmark.load.RateLimiter;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import io.keyline.benchmark.report.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd benchmark's "watch": first --streams streams each create --watch-per-stream watchers over
 * --watched-key-total keys ("Watch creation summary", latency from create request to "created"),
 * then --put-total puts to those keys at --put-rate while every event is counted ("Watch events
 * received summary"; as in etcd, the event results carry no latency, the rate is the measure).
 */
@Command(name = "watch", description = "Benchmark watch",
        footer = {"Benchmark watch tests the performance of processing watch requests and sending events to watchers.",
                "It tests the sending performance by changing the value of the watched keys with concurrent put requests."})
public final class WatchCommand extends BenchCommand {
    @Option(names = "--streams", description = "Total watch streams (default 10)")
    int streams = 10;
    @Option(names = "--watch-per-stream", description = "Total watchers per stream (default 100)")
    int watchPerStream = 100;
    @Option(names = "--watched-key-total", description = "Total number of keys to be watched (default 1)")
    int watchedKeyTotal = 1;
    @Option(names = "--put-rate", description = "Number of keys to put per second (0 is no limit)")
    int putRate;
    @Option(names = "--put-total", description = "Number of put requests (default 1000)")
    int putTotal = 1000;
    @Option(names = "--key-size", description = "Key size of watch request (default 32)")
    int keySize = 32;
    @Option(names = "--key-space-size", description = "Maximum possible keys (default 1)")
    int keySpaceSize = 1;
    @Option(names = "--sequential-keys", description = "Use sequential keys")
    boolean seqKeys;

    @Override
    protected void execute() throws Exception {
        require(keySpaceSize > 0, "expected positive --key-space-size, got (" + keySpaceSize + ")");
        int conns = Math.min(global().clients(), global().conns());
        int wanted = 1 + streams / 100;
        if (conns < wanted) {
            root().err().printf("warning: grpc limits 100 streams per client connection, have %d but need %d%n", conns, wanted);
        }
        List<ByteString> watched = new ArrayList<>();
        for (int i = 0; i < watchedKeyTotal; i++) {
            long k = seqKeys ? i % keySpaceSize : ThreadLocalRandom.current().nextInt(keySpaceSize);
            watched.add(ByteString.copyFrom(GoVarint.key(k, keySize)));
        }
        Map<ByteString, Integer> watchersOf = new HashMap<>();
        try (Clients clients = Clients.open(global().clientConfig())) {
            Report events = new Report("watch-events");
            AtomicLong remaining = new AtomicLong();
            CountDownLatch allReceived = new CountDownLatch(1);
            ProgressBar[] eventBar = new ProgressBar[1];
            List<WatchStream> ws = new ArrayList<>();
            try {
                Report creation = new Report("watch-create");
                try (ProgressBar bar = bar((long) streams * watchPerStream)) {
                    creation.start();
                    for (int s = 0; s < streams; s++) {
                        ws.add(new WatchStream(clients.watch(s % clients.clients()), (t, r) -> {
                            for (int e = 0; e < r.getEventsCount(); e++) {
                                events.record(t, t);
                                if (eventBar[0] != null) {
                                    eventBar[0].increment();
                                }
                                if (remaining.decrementAndGet() == 0) {
                                    allReceived.countDown();
                                }
                            }
                        }));
                    }
                    int i = 0;
                    for (int n = 0; n < watchPerStream; n++) {
                        for (WatchStream stream : ws) {
                            ByteString key = watched.get(i++ % watched.size());
                            watchersOf.merge(key, 1, Integer::sum);
                            long st = System.nanoTime();
                            WatchStream.awaitCreated(stream.create(WatchCreateRequest.newBuilder().setKey(key).build()));
                            creation.record(st, System.nanoTime());
                            bar.increment();
                        }
                    }
                }
                print("Watch creation summary:", creation.finish());

                long eventsTotal = 0;
                for (int i = 0; i < putTotal; i++) {
                    eventsTotal += watchersOf.getOrDefault(watched.get(i % watched.size()), 0);
                }
                remaining.set(eventsTotal);
                try (ProgressBar bar = bar(eventsTotal)) {
                    eventBar[0] = bar;
                    events.start();
                    // the bar counts events; the puts get a silent one
                    ClosedLoop puts = new ClosedLoop(clients.clients(), putTotal, RateLimiter.perSecond(putRate),
                            ProgressBar.start(null, putTotal));
                    Report putReport = new Report("watch-put");
                    puts.run((client, seq) -> Unary.call(clients.kv(client)::put, PutRequest.newBuilder()
                            .setKey(watched.get((int) (seq % watched.size()))).setValue(ByteString.copyFromUtf8("data")).build()),
                            seq -> putReport);
                    Stats putStats = putReport.finish();
                    if (putStats.errorCount() > 0) {
                        throw new BenchmarkFailure("puts failed: " + putStats.errors());
                    }
                    if (eventsTotal > 0 && !allReceived.await(60, TimeUnit.SECONDS)) {
                        throw new BenchmarkFailure("missing " + remaining.get() + " watch events after 60s");
                    }
                }
                print("Watch events received summary:", events.finish());
            } finally {
                ws.forEach(WatchStream::close);
            }
        }
    }
}
