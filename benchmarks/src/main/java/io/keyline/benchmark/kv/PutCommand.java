package io.keyline.benchmark.kv;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.HashKVRequest;
import io.keyline.api.etcdserverpb.HashKVResponse;
import io.keyline.api.etcdserverpb.MaintenanceGrpc;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.api.etcdserverpb.StatusResponse;
import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.GoDuration;
import io.keyline.benchmark.client.BenchmarkFailure;
import io.keyline.benchmark.client.Clients;
import io.keyline.benchmark.client.GoVarint;
import io.keyline.benchmark.client.RpcErrors;
import io.keyline.benchmark.client.Unary;
import io.keyline.benchmark.load.ClosedLoop;
import io.keyline.benchmark.load.RateLimiter;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd benchmark's "put": --total puts of key-size keys (a key index from the key space, as a Go
 * varint at the front of the key) and one random val-size value, optionally compacting as it goes.
 */
@Command(name = "put", description = "Benchmark put")
public final class PutCommand extends BenchCommand {
    @Option(names = "--key-size", description = "Key size of put request (default 8)")
    int keySize = 8;
    @Option(names = "--val-size", description = "Value size of put request (default 8)")
    int valSize = 8;
    @Option(names = "--rate", description = "Maximum puts per second (0 is no limit)")
    int rate;
    @Option(names = "--total", description = "Total number of put requests (default 10000)")
    int total = 10000;
    @Option(names = "--key-space-size", description = "Maximum possible keys (default 1)")
    int keySpaceSize = 1;
    @Option(names = "--sequential-keys", description = "Use sequential keys")
    boolean seqKeys;
    @Option(names = "--compact-interval", paramLabel = "duration",
            description = "Interval to compact database (do not duplicate this with the server's auto compaction) (e.g. --compact-interval=5m compacts every 5-minute)")
    String compactInterval = "0s";
    @Option(names = "--compact-index-delta", description = "Delta between current revision and compact revision (e.g. current revision 10000, compact at 9000) (default 1000)")
    long compactIndexDelta = 1000;
    @Option(names = "--check-hashkv", description = "'true' to check hashkv")
    boolean checkHashkv;

    @Override
    protected void execute() throws Exception {
        require(keySpaceSize > 0, "expected positive --key-space-size, got (" + keySpaceSize + ")");
        Duration compactEvery = GoDuration.parse(compactInterval);
        ByteString value = ByteString.copyFrom(Keys.randomBytes(valSize));
        try (Clients clients = Clients.open(global().clientConfig())) {
            ScheduledExecutorService compactor = null;
            if (compactEvery.toNanos() > 0) {
                compactor = Executors.newSingleThreadScheduledExecutor();
                compactor.scheduleWithFixedDelay(() -> compact(clients), compactEvery.toNanos(),
                        compactEvery.toNanos(), TimeUnit.NANOSECONDS);
            }
            Report r = new Report("put");
            try (ProgressBar bar = bar(total)) {
                ClosedLoop loop = new ClosedLoop(clients.clients(), total, RateLimiter.perSecond(rate), bar);
                r.start();
                loop.run((client, seq) -> {
                    long k = seqKeys ? seq % keySpaceSize : ThreadLocalRandom.current().nextInt(keySpaceSize);
                    PutRequest req = PutRequest.newBuilder()
                            .setKey(ByteString.copyFrom(GoVarint.key(k, keySize))).setValue(value).build();
                    return Unary.call(clients.kv(client)::put, req);
                }, seq -> r);
            } finally {
                if (compactor != null) {
                    compactor.shutdownNow();
                }
            }
            print("", r.finish());
            out().println();
            if (checkHashkv) {
                hashKV(clients);
            }
        }
    }

    /** etcd's compactKV: read the current revision, compact at that minus the delta. */
    private void compact(Clients clients) {
        try {
            long rev = Unary.call(clients.kv(0)::range, RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("foo")).build()).get(5, TimeUnit.SECONDS).getHeader().getRevision();
            Unary.call(clients.kv(0)::compact, CompactionRequest.newBuilder()
                    .setRevision(Math.max(0, rev - compactIndexDelta)).build()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            root().err().println("compaction failed: " + RpcErrors.text(e));
        }
    }

    private void hashKV(Clients clients) {
        String host = global().endpoints().get(0);
        long st = System.nanoTime();
        MaintenanceGrpc.MaintenanceBlockingStub m = MaintenanceGrpc.newBlockingStub(clients.channel(0));
        HashKVResponse h;
        StatusResponse s;
        try {
            h = m.hashKV(HashKVRequest.newBuilder().setRevision(0).build());
            s = m.status(StatusRequest.getDefaultInstance());
        } catch (RuntimeException e) {
            throw new BenchmarkFailure("Failed to get the hashkv of endpoint " + host + " (" + RpcErrors.text(e) + ")", e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - st);
        out().println("HashKV Summary:");
        out().println("\tHashKV: " + Integer.toUnsignedLong(h.getHash()));
        out().println("\tEndpoint: " + host);
        out().println("\tTime taken to get hashkv: " + took.toMillis() + "ms");
        out().println("\tDB size: " + s.getDbSize() + " B");
    }
}
