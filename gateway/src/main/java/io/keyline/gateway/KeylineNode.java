package io.keyline.gateway;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.keyline.gateway.cluster.ClusterIdentity;
import io.keyline.gateway.cluster.ClusterService;
import io.keyline.gateway.cluster.Member;
import io.keyline.gateway.cluster.MemberPublisher;
import io.keyline.gateway.config.NodeConfig;
import io.keyline.gateway.http.HttpEndpoints;
import io.keyline.gateway.http.HttpSniffingNegotiator;
import io.keyline.gateway.kv.KvService;
import io.keyline.gateway.lease.LeaseService;
import io.keyline.keyspace.lease.LeaseIds;
import io.keyline.gateway.metrics.NodeMetrics;
import io.keyline.gateway.maintenance.MaintenanceService;
import io.keyline.gateway.watch.WatchService;
import io.keyline.api.etcdserverpb.AuthGrpc;
import io.keyline.replication.RaftNode;
import io.keyline.replication.ReplicationConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Keyline member: its Raft side and the etcd v3 gRPC services on its client URLs. */
public final class KeylineNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeylineNode.class);
    /** etcd lets a gRPC message exceed --max-request-bytes by this much before gRPC itself refuses it. */
    static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    /** Messages up to this size are parsed so that {@link MessageSizeLimit} can refuse them in etcd's words. */
    static final long TRANSPORT_CAP_BYTES = 64L << 20;

    /** etcd waits this long after applying its own removal before it stops, so the answer gets out. */
    static final long REMOVED_STOP_DELAY_MS = 1_000;
    /** A removed leader waits this long at most for the configuration without it to commit. */
    static final long REMOVED_CONF_WAIT_MS = 15_000;
    /** Workers that run gRPC calls off the transport threads (those {@link CallThreads} does not keep). */
    static final int CALL_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final NodeConfig config;
    /** Built in {@link #start}: a member joining a running cluster learns its ids from it first. */
    private RaftNode raft;
    private long memberId;
    private long clusterId;
    private final List<Server> servers = new ArrayList<>();
    private MemberPublisher publisher;
    private WatchService watch;
    /**
     * gRPC's default executor is a cached pool: a thread woken per call and as many threads as calls
     * in flight. A few work-stealing workers stay busy under load instead (1-member serializable
     * range at 100 clients 15.6k -> 27.8k req/s, p99 halved).
     */
    private final ForkJoinPool callExecutor = new ForkJoinPool(CALL_THREADS,
            ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);

    public KeylineNode(NodeConfig config) {
        this.config = config;
    }

    public void start() throws IOException {
        ClusterIdentity identity = ClusterIdentity.of(config);
        memberId = identity.memberId();
        clusterId = identity.clusterId();
        raft = new RaftNode(new ReplicationConfig(memberId, identity.peers(), clusterId, config.raftDir(),
                config.kvDir(), config.snapshotCount(), config.snapshotCatchupEntries(), config.maxRequestBytes(),
                config.leaseCheckpointIntervalMs(), identity.join(), config.quotaBackendBytes()));
        raft.start();
        Member self = config.initialMembers().stream().filter(m -> m.id() == config.memberId()).findFirst()
                .orElseThrow();
        publisher = new MemberPublisher(raft, new Member(memberId, self.name(), self.peerUrls(), self.clientUrls(),
                false), identity.join() ? List.of() : config.initialMembers());
        publisher.start();
        if (config.initialMembers().size() == 1 && !identity.join()) {
            // Alone, nothing can keep it from publishing: serve clients only once it has, as etcd does.
            awaitPublished();
        }
        watchForRemoval();
        ResponseHeaders headers = new ResponseHeaders(clusterId, memberId, raft);
        HealthStatusManager health = new HealthStatusManager();
        NodeMetrics metrics = new NodeMetrics(raft);
        watch = new WatchService(raft, headers, config.maxRequestBytes(), config.watchProgressNotifyInterval());
        for (URI url : config.listenClientUrls()) {
            Server server = NettyServerBuilder
                    .forAddress(new InetSocketAddress(NodeConfig.bindHost(url), url.getPort()))
                    .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE,
                            Math.max(TRANSPORT_CAP_BYTES, 2 * (config.maxRequestBytes() + GRPC_OVERHEAD_BYTES))))
                    .directExecutor()
                    .intercept(new MessageSizeLimit(config.maxRequestBytes() + GRPC_OVERHEAD_BYTES))
                    .intercept(new RequireLeader(raft))
                    .intercept(new LearnerGuard(raft))
                    .intercept(new CallThreads(callExecutor))
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .protocolNegotiator(new HttpSniffingNegotiator(() -> new HttpEndpoints(raft, metrics)))
                    .addService(new KvService(raft, headers, config.maxTxnOps(), raft.stateMachine().quota(),
                            callExecutor))
                    .addService(new MaintenanceService(raft, headers, config.scratchDir()))
                    .addService(new ClusterService(raft, headers, publisher::published, java.time.Clock.systemUTC()))
                    .addService(watch)
                    .addService(new LeaseService(raft, headers, new LeaseIds(memberId, System.currentTimeMillis())))
                    .addService(new AuthGrpc.AuthImplBase() { })
                    .addService(health.getHealthService())
                    .build()
                    .start();
            servers.add(server);
            LOG.info("serving client requests on {}", url);
        }
        LOG.info("member {} ({}) of cluster {} ready; data in {}", Long.toHexString(memberId), config.name(),
                Long.toHexString(clusterId), config.dataDir());
    }

    private void awaitPublished() throws IOException {
        try {
            publisher.published().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing this member", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("cannot publish this member", e.getCause());
        }
    }

    /** As etcd, a member that applied its own removal stops serving and exits. */
    private void watchForRemoval() {
        Thread watcher = new Thread(() -> {
            try {
                while (!raft.removedFromCluster()) {
                    Thread.sleep(200);
                }
                LOG.warn("the member has been permanently removed from the cluster; stopping");
                Thread.sleep(REMOVED_STOP_DELAY_MS);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REMOVED_CONF_WAIT_MS);
                while (raft.inRaftConfiguration() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                System.exit(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "keyline-removal-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    public void awaitTermination() throws InterruptedException {
        for (Server s : servers) {
            s.awaitTermination();
        }
    }

    @Override
    public void close() throws IOException {
        if (publisher != null) {
            publisher.close();
        }
        if (watch != null) {
            watch.close();
        }
        for (Server s : servers) {
            s.shutdown();
        }
        for (Server s : servers) {
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        callExecutor.shutdown();
        if (raft != null) {
            raft.close();
        }
        LOG.info("member {} stopped", config.name());
    }
}
