package io.keyline.gateway;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
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
import io.keyline.keyspace.quota.SpaceQuota;
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

    private final NodeConfig config;
    private final RaftNode raft;
    private final List<Server> servers = new ArrayList<>();
    private MemberPublisher publisher;
    private WatchService watch;

    public KeylineNode(NodeConfig config) {
        this.config = config;
        List<ReplicationConfig.Peer> peers = config.initialMembers().stream().map(m -> {
            URI peerUrl = m.id() == config.memberId() ? config.listenPeerUrl() : URI.create(m.peerUrls().get(0));
            return new ReplicationConfig.Peer(m.id(), NodeConfig.bindHost(peerUrl), peerUrl.getPort());
        }).toList();
        this.raft = new RaftNode(new ReplicationConfig(config.memberId(), peers, config.clusterId(), config.raftDir(),
                config.kvDir(), config.snapshotCount(), config.snapshotCatchupEntries(), config.maxRequestBytes(),
                config.leaseCheckpointIntervalMs()));
    }

    public void start() throws IOException {
        raft.start();
        publisher = new MemberPublisher(raft, config.initialMembers().stream()
                .filter(m -> m.id() == config.memberId()).findFirst().orElseThrow());
        publisher.start();
        if (config.initialMembers().size() == 1) {
            // Alone, nothing can keep it from publishing: serve clients only once it has, as etcd does.
            awaitPublished();
        }
        ResponseHeaders headers = new ResponseHeaders(config.clusterId(), config.memberId(), raft);
        HealthStatusManager health = new HealthStatusManager();
        NodeMetrics metrics = new NodeMetrics(raft);
        watch = new WatchService(raft, headers, config.maxRequestBytes(), config.watchProgressNotifyInterval());
        for (URI url : config.listenClientUrls()) {
            Server server = NettyServerBuilder
                    .forAddress(new InetSocketAddress(NodeConfig.bindHost(url), url.getPort()))
                    .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE,
                            Math.max(TRANSPORT_CAP_BYTES, 2 * (config.maxRequestBytes() + GRPC_OVERHEAD_BYTES))))
                    .intercept(new MessageSizeLimit(config.maxRequestBytes() + GRPC_OVERHEAD_BYTES))
                    .intercept(new RequireLeader(raft))
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .protocolNegotiator(new HttpSniffingNegotiator(() -> new HttpEndpoints(raft, metrics)))
                    .addService(new KvService(raft, headers, config.maxTxnOps(), new SpaceQuota(config.quotaBackendBytes())))
                    .addService(new MaintenanceService(raft, headers, config.scratchDir()))
                    .addService(new ClusterService(this::members, headers))
                    .addService(watch)
                    .addService(new LeaseService(raft, headers, new LeaseIds(config.memberId(), System.currentTimeMillis())))
                    .addService(new AuthGrpc.AuthImplBase() { })
                    .addService(health.getHealthService())
                    .build()
                    .start();
            servers.add(server);
            LOG.info("serving client requests on {}", url);
        }
        LOG.info("member {} ({}) of cluster {} ready; data in {}", Long.toHexString(config.memberId()), config.name(),
                Long.toHexString(config.clusterId()), config.dataDir());
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

    /** The configured members, with what each has published; one not yet heard from is etcd's "unstarted". */
    private List<Member> members() {
        return config.initialMembers().stream().map(m -> raft.stateMachine().publishedMember(m.id())
                .map(p -> new Member(m.id(), p.getName(), m.peerUrls(), p.getClientURLsList(), m.learner()))
                .orElse(new Member(m.id(), "", m.peerUrls(), List.of(), m.learner())))
                .toList();
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
        raft.close();
        LOG.info("member {} stopped", config.name());
    }
}
