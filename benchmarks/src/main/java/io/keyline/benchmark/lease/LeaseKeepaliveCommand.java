package io.keyline.benchmark.lease;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keyline.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.client.BenchmarkFailure;
import io.keyline.benchmark.client.Clients;
import io.keyline.benchmark.client.RpcErrors;
import io.keyline.benchmark.client.Unary;
import io.keyline.benchmark.load.ClosedLoop;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd benchmark's "lease-keepalive": each client grants one lease (TTL 100s), then the clients
 * renew their lease --total times between them, each renewal a KeepAliveOnce: a fresh LeaseKeepAlive
 * stream, one request, one response, stream closed.
 */
@Command(name = "lease-keepalive", description = "Benchmark lease keepalive")
public final class LeaseKeepaliveCommand extends BenchCommand {
    @Option(names = "--total", description = "Total number of lease keepalive requests (default 10000)")
    int total = 10000;

    @Override
    protected void execute() throws Exception {
        try (Clients clients = Clients.open(global().clientConfig())) {
            long[] leases = new long[clients.clients()];
            for (int i = 0; i < leases.length; i++) {
                try {
                    leases[i] = Unary.call(clients.lease(i)::leaseGrant, LeaseGrantRequest.newBuilder().setTTL(100).build())
                            .get(30, TimeUnit.SECONDS).getID();
                } catch (Exception e) {
                    // etcd's benchmark panics here
                    throw new BenchmarkFailure("lease grant failed: " + RpcErrors.text(e), e);
                }
            }
            Report r = new Report("lease-keepalive");
            try (ProgressBar bar = bar(total)) {
                ClosedLoop loop = new ClosedLoop(clients.clients(), total, null, bar);
                r.start();
                loop.run((client, seq) -> keepAliveOnce(clients, client, leases[client]), seq -> r);
            }
            print("", r.finish());
        }
    }

    private static CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(Clients clients, int client, long id) {
        CompletableFuture<LeaseKeepAliveResponse> f = new CompletableFuture<>();
        StreamObserver<LeaseKeepAliveRequest>[] req = new StreamObserver[1];
        req[0] = clients.lease(client).leaseKeepAlive(new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (f.complete(r)) {
                    req[0].onCompleted();
                }
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                f.completeExceptionally(new IllegalStateException("keepalive stream closed without a response"));
            }
        });
        req[0].onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        return f;
    }
}
