package io.keyline.benchmark.watch;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.client.BenchmarkFailure;
import io.keyline.benchmark.client.Clients;
import io.keyline.benchmark.client.RpcErrors;
import io.keyline.benchmark.client.Unary;
import io.keyline.benchmark.kv.Keys;
import io.keyline.benchmark.load.RateLimiter;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd benchmark's "watch-latency": every client watches one key; a separate connection puts it
 * --total times at --put-rate, and after each put returns, each watcher's wait for its next event
 * is one result. As in etcd, the clock starts when the put returns, so an event that arrived before
 * the put's response counts as (about) zero.
 */
@Command(name = "watch-latency", description = "Benchmark watch latency",
        footer = "Benchmarks the latency for watches by measuring the latency between writing to a key and receiving the associated watch response.")
public final class WatchLatencyCommand extends BenchCommand {
    /** How long one watcher may wait for the event of one put before the run fails. */
    private static final long EVENT_TIMEOUT_SECS = 30;

    @Option(names = "--total", description = "Total number of put requests (default 10000)")
    int total = 10000;
    @Option(names = "--put-rate", description = "Number of keys to put per second (default 100)")
    int putRate = 100;
    @Option(names = "--key-size", description = "Key size of watch response (default 32)")
    int keySize = 32;
    @Option(names = "--val-size", description = "Value size of watch response (default 32)")
    int valSize = 32;

    @Override
    protected void execute() throws Exception {
        ByteString key = ByteString.copyFrom(Keys.randomBytes(keySize));
        ByteString value = ByteString.copyFrom(Keys.randomBytes(valSize));
        try (Clients clients = Clients.open(global().clientConfig());
             Clients putClient = Clients.open(global().clientConfig(), 1, 1)) {
            List<LinkedBlockingQueue<Long>> arrivals = new ArrayList<>();
            List<WatchStream> streams = new ArrayList<>();
            try {
                for (int i = 0; i < clients.clients(); i++) {
                    LinkedBlockingQueue<Long> q = new LinkedBlockingQueue<>();
                    arrivals.add(q);
                    WatchStream ws = new WatchStream(clients.watch(i), (t, r) -> q.add(t));
                    streams.add(ws);
                    WatchStream.awaitCreated(ws.create(WatchCreateRequest.newBuilder().setKey(key).build()));
                }
                Report r = new Report("watch-latency");
                RateLimiter limiter = RateLimiter.perSecond(putRate);
                try (ProgressBar bar = bar(total)) {
                    r.start();
                    for (int i = 0; i < total; i++) {
                        if (limiter != null) {
                            TimeUnit.NANOSECONDS.sleep(limiter.reserve());
                        }
                        try {
                            Unary.call(putClient.kv(0)::put, PutRequest.newBuilder().setKey(key).setValue(value).build())
                                    .get(EVENT_TIMEOUT_SECS, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new BenchmarkFailure("Failed to Put for watch latency benchmark: " + RpcErrors.text(e), e);
                        }
                        long st = System.nanoTime();
                        for (int w = 0; w < arrivals.size(); w++) {
                            Long at = arrivals.get(w).poll(EVENT_TIMEOUT_SECS, TimeUnit.SECONDS);
                            if (at == null) {
                                Throwable f = streams.get(w).failure();
                                throw new BenchmarkFailure(f != null ? f.getMessage() : "no watch event within " + EVENT_TIMEOUT_SECS + "s");
                            }
                            r.record(st, Math.max(st, at));
                        }
                        bar.increment();
                    }
                }
                print("", r.finish());
            } finally {
                streams.forEach(WatchStream::close);
            }
        }
    }
}
