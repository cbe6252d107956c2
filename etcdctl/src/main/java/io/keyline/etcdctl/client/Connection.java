package io.keyline.etcdctl.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.keyline.api.etcdserverpb.ClusterGrpc;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.keyline.api.etcdserverpb.LeaseGrpc;
import io.keyline.api.etcdserverpb.MaintenanceGrpc;
import io.keyline.api.etcdserverpb.WatchGrpc;
import io.keyline.etcdctl.CtlException;
import io.netty.channel.ChannelOption;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One client connection to the cluster, as etcd's Go client makes it: calls wait for the
 * connection to come up (the Go client's calls are wait-for-ready) until the command timeout, and
 * with several endpoints are balanced round-robin over those that are up.
 */
public final class Connection implements AutoCloseable {
    private final ManagedChannel channel;
    private final String target;
    private final Duration commandTimeout;
    private final PrintStream err;

    private Connection(ManagedChannel channel, String target, Duration commandTimeout, PrintStream err) {
        this.channel = channel;
        this.target = target;
        this.commandTimeout = commandTimeout;
        this.err = err;
    }

    /** The cluster client etcdctl makes from --endpoints. */
    public static Connection toCluster(ClientConfig cfg, List<String> endpoints) {
        String first = endpoints.isEmpty() ? "" : Endpoints.authority(endpoints.get(0));
        // The Go client names its resolver target after a random client id.
        String target = "endpoint://client-" + UUID.randomUUID() + "/" + first;
        if (endpoints.size() < 2) {
            return open(cfg, NettyChannelBuilder.forTarget(first), target);
        }
        List<String> authorities = endpoints.stream().map(Endpoints::authority).toList();
        @SuppressWarnings("deprecation")
        NettyChannelBuilder all = NettyChannelBuilder.forTarget(EndpointListResolver.SCHEME + ":///" + first)
                .nameResolverFactory(new EndpointListResolver(authorities))
                .defaultLoadBalancingPolicy("round_robin");
        return open(cfg, all, target);
    }

    /** A client to one member, as the Go client dials for per-endpoint maintenance calls. */
    public static Connection toMember(ClientConfig cfg, String endpoint) {
        String authority = Endpoints.authority(endpoint);
        return open(cfg, NettyChannelBuilder.forTarget(authority), "passthrough:///" + authority);
    }

    private static Connection open(ClientConfig cfg, NettyChannelBuilder builder, String target) {
        ManagedChannel ch = builder
                .usePlaintext()
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, cfg.dialTimeout().toMillis()))
                .keepAliveTime(Math.max(10, cfg.keepAliveTime().toSeconds()), TimeUnit.SECONDS)
                .keepAliveTimeout(Math.max(1, cfg.keepAliveTimeout().toSeconds()), TimeUnit.SECONDS)
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .build();
        return new Connection(ch, target, cfg.commandTimeout(), cfg.err());
    }

    public ManagedChannel channel() {
        return channel;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public KVGrpc.KVBlockingStub kv() {
        return unary(KVGrpc.newBlockingStub(channel));
    }

    public LeaseGrpc.LeaseBlockingStub lease() {
        return unary(LeaseGrpc.newBlockingStub(channel));
    }

    public ClusterGrpc.ClusterBlockingStub cluster() {
        return unary(ClusterGrpc.newBlockingStub(channel));
    }

    public MaintenanceGrpc.MaintenanceBlockingStub maintenance() {
        return unary(MaintenanceGrpc.newBlockingStub(channel));
    }

    /** Maintenance stub for long calls (defrag, snapshot) with its own deadline, or none. */
    public MaintenanceGrpc.MaintenanceBlockingStub maintenance(Duration timeout) {
        MaintenanceGrpc.MaintenanceBlockingStub s = MaintenanceGrpc.newBlockingStub(channel).withWaitForReady();
        return timeout == null ? s : s.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public LeaseGrpc.LeaseStub leaseAsync() {
        return LeaseGrpc.newStub(channel).withWaitForReady();
    }

    public WatchGrpc.WatchStub watchAsync() {
        return WatchGrpc.newStub(channel).withWaitForReady();
    }

    private <S extends AbstractStub<S>> S unary(S stub) {
        return stub.withWaitForReady().withDeadlineAfter(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs a unary call; a failure becomes etcdctl's "Error: ..." exit with status 1. */
    public <T> T call(Supplier<T> rpc) {
        return call(rpc, CtlException.EXIT_ERROR, Function.identity());
    }

    /** Runs a unary call; a failure exits with code and the client's text passed through wrap. */
    public <T> T call(Supplier<T> rpc, int code, Function<String, String> wrap) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw CtlException.of(code, wrap.apply(failed(e)));
        }
    }

    /** Logs a failed unary call as the Go client does and returns the text etcdctl prints for it. */
    public String failed(StatusRuntimeException e) {
        ClientLog.unaryFailed(err, target, logText(e));
        return RpcErrors.clientText(e);
    }

    private String logText(StatusRuntimeException e) {
        Status s = e.getStatus();
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            boolean down = channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE;
            if (!down) {
                return RpcErrors.goStatusText(s.getCode(), RpcErrors.DEADLINE);
            }
            if (target.startsWith("passthrough:///")) {
                // A client dialled to one member reports the dial error itself.
                String ep = target.substring("passthrough:///".length());
                return RpcErrors.goStatusText(s.getCode(), "latest balancer error: connection error: desc = "
                        + "\"transport: Error while dialing dial tcp " + ep + ": connect: connection refused\"");
            }
            return RpcErrors.goStatusText(s.getCode(), RpcErrors.NO_CONNECTION);
        }
        return RpcErrors.goStatusText(s.getCode(), s.getDescription() == null ? "" : s.getDescription());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
