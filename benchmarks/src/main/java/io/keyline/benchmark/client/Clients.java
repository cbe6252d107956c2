package io.keyline.benchmark.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.keyline.api.etcdserverpb.AuthGrpc;
import io.keyline.api.etcdserverpb.AuthenticateRequest;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.keyline.api.etcdserverpb.LeaseGrpc;
import io.keyline.api.etcdserverpb.MaintenanceGrpc;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.api.etcdserverpb.StatusResponse;
import io.keyline.api.etcdserverpb.WatchGrpc;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's connections, as etcd's benchmark makes them: --conns gRPC connections shared
 * round-robin by --clients clients (client i uses connection i % conns). Connection j dials
 * endpoint j % endpoints, so every endpoint carries load when conns >= endpoints; etcd's Go client
 * balances each connection over all endpoints instead, which this does not attempt.
 *
 * <p>Calls are wait-for-ready, as the Go client's are: a request sent while the connection is still
 * coming up waits for it instead of failing.
 */
public final class Clients implements AutoCloseable {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private final List<ManagedChannel> channels;
    private final List<Channel> calls;
    private final int clients;

    private Clients(List<ManagedChannel> channels, List<Channel> calls, int clients) {
        this.channels = channels;
        this.calls = calls;
        this.clients = clients;
    }

    public static Clients open(ClientConfig cfg) {
        return open(cfg, cfg.conns(), cfg.clients());
    }

    /** conns connections for clients clients (the commands that add a separate put client open a second set). */
    public static Clients open(ClientConfig cfg, int conns, int clients) {
        List<String> targets = cfg.endpoints().stream().map(Clients::authority).toList();
        if (cfg.targetLeader()) {
            targets = List.of(leader(cfg, targets));
        }
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            channels.add(dial(cfg, targets.get(i % targets.size())));
        }
        Clients c = new Clients(channels, new ArrayList<>(channels), clients);
        try {
            c.awaitReady(cfg);
            if (!cfg.user().isEmpty()) {
                c.authenticate(cfg.user());
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    public int clients() {
        return clients;
    }

    public Channel channel(int client) {
        return calls.get(client % calls.size());
    }

    public KVGrpc.KVStub kv(int client) {
        return KVGrpc.newStub(channel(client)).withWaitForReady();
    }

    public WatchGrpc.WatchStub watch(int client) {
        return WatchGrpc.newStub(channel(client)).withWaitForReady();
    }

    public LeaseGrpc.LeaseStub lease(int client) {
        return LeaseGrpc.newStub(channel(client)).withWaitForReady();
    }

    public MaintenanceGrpc.MaintenanceStub maintenance(int client) {
        return MaintenanceGrpc.newStub(channel(client)).withWaitForReady();
    }

    /** "https://host:port" or "host:port" to "host:port". */
    static String authority(String endpoint) {
        String e = endpoint.trim();
        int scheme = e.indexOf("://");
        if (scheme >= 0) {
            e = e.substring(scheme + 3);
        }
        int slash = e.indexOf('/');
        return slash >= 0 ? e.substring(0, slash) : e;
    }

    private static ManagedChannel dial(ClientConfig cfg, String authority) {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(authority)
                .maxInboundMessageSize(Integer.MAX_VALUE)
                // callbacks run on the event loop: they only record a result and send the next request
                .directExecutor();
        if (cfg.tls()) {
            b.sslContext(sslContext(cfg));
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    private static SslContext sslContext(ClientConfig cfg) {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (cfg.insecureSkipTlsVerify()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (!cfg.cacert().isEmpty()) {
                b.trustManager(new File(cfg.cacert()));
            }
            if (!cfg.cert().isEmpty() || !cfg.key().isEmpty()) {
                b.keyManager(new File(cfg.cert()), new File(cfg.key()));
            }
            return b.build();
        } catch (Exception e) {
            throw new BenchmarkFailure("bad tls config: " + e.getMessage(), e);
        }
    }

    /**
     * Waits for every connection to be up before anything is measured, so Total does not include
     * dialling; with --dial-timeout only that long, as the Go client's blocking dial.
     */
    private void awaitReady(ClientConfig cfg) {
        long deadline = cfg.dialTimeout().isZero() ? Long.MAX_VALUE : System.nanoTime() + cfg.dialTimeout().toNanos();
        for (ManagedChannel ch : channels) {
            ConnectivityState s = ch.getState(true);
            while (s != ConnectivityState.READY) {
                if (System.nanoTime() > deadline) {
                    throw new BenchmarkFailure("dial error: context deadline exceeded");
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchmarkFailure("dial error: interrupted");
                }
                s = ch.getState(true);
            }
        }
    }

    /** --user name:password: authenticate once and send the token with every call, as the Go client does. */
    private void authenticate(String user) {
        int colon = user.indexOf(':');
        if (colon < 0) {
            throw new BenchmarkFailure("bad user information: " + user + " (give username:password; no prompt)");
        }
        AuthenticateRequest req = AuthenticateRequest.newBuilder()
                .setName(user.substring(0, colon)).setPassword(user.substring(colon + 1)).build();
        String token;
        try {
            token = AuthGrpc.newBlockingStub(channels.get(0)).withWaitForReady()
                    .withDeadlineAfter(10, TimeUnit.SECONDS).authenticate(req).getToken();
        } catch (RuntimeException e) {
            throw new BenchmarkFailure("authentication failed: " + RpcErrors.text(e), e);
        }
        ClientInterceptor withToken = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(TOKEN, token);
                        super.start(listener, headers);
                    }
                };
            }
        };
        calls.replaceAll(ch -> ClientInterceptors.intercept(ch, withToken));
    }

    /** --target-leader: the endpoint whose Status says it is the leader. */
    private static String leader(ClientConfig cfg, List<String> targets) {
        for (String t : targets) {
            ManagedChannel ch = dial(cfg, t);
            try {
                StatusResponse s = MaintenanceGrpc.newBlockingStub(ch).withWaitForReady()
                        .withDeadlineAfter(5, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
                if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
                    return t;
                }
            } catch (RuntimeException e) {
                // an unreachable member is simply not the leader we are looking for
            } finally {
                ch.shutdownNow();
            }
        }
        throw new BenchmarkFailure("no leader found among " + targets);
    }

    @Override
    public void close() {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : channels) {
            try {
                ch.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
