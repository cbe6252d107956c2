package io.keyline.gateway.cluster;

import io.keyline.gateway.config.NodeConfig;
import io.keyline.replication.ClusterDiscovery;
import io.keyline.replication.ReplicationConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This member's etcd ids and where its peers are. A member of a new cluster derives them from its
 * flags, as etcd does. A member started with {@code --initial-cluster-state existing} was given
 * its id by MemberAdd: it learns it and the cluster id from the running members once, and keeps
 * them in its data dir (as etcd keeps them in its WAL) so that a restart needs nobody.
 */
public record ClusterIdentity(long memberId, long clusterId, List<ReplicationConfig.Peer> peers, boolean join) {
    static final long DISCOVERY_TIMEOUT_MS = 60_000;

    public static ClusterIdentity of(NodeConfig config) throws IOException {
        List<ReplicationConfig.Peer> fromFlags = config.initialMembers().stream().map(m -> {
            URI peerUrl = m.id() == config.memberId() ? config.listenPeerUrl() : URI.create(m.peerUrls().get(0));
            return new ReplicationConfig.Peer(m.id(), NodeConfig.bindHost(peerUrl), peerUrl.getPort());
        }).toList();
        if (!config.joinExisting()) {
            return new ClusterIdentity(config.memberId(), config.clusterId(), fromFlags, false);
        }
        Path file = config.dataDir().resolve("member").resolve("identity");
        ReplicationConfig.Peer self = new ReplicationConfig.Peer(0, NodeConfig.bindHost(config.listenPeerUrl()),
                config.listenPeerUrl().getPort());
        if (Files.exists(file)) {
            String[] ids = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
            long memberId = Long.parseUnsignedLong(ids[0], 16);
            List<ReplicationConfig.Peer> peers = new ArrayList<>(fromFlags.stream().filter(p -> p.id() != config.memberId()).toList());
            peers.add(new ReplicationConfig.Peer(memberId, self.host(), self.port()));
            return new ClusterIdentity(memberId, Long.parseUnsignedLong(ids[1], 16), peers, true);
        }
        List<String> ownUrls = config.initialMembers().stream().filter(m -> m.id() == config.memberId())
                .findFirst().orElseThrow().peerUrls();
        List<String> others = fromFlags.stream().filter(p -> p.id() != config.memberId())
                .map(p -> p.host() + ":" + p.port()).toList();
        ClusterDiscovery.Discovered found = ClusterDiscovery.discover(others, ownUrls, DISCOVERY_TIMEOUT_MS);
        List<ReplicationConfig.Peer> peers = new ArrayList<>();
        for (io.keyline.api.etcdserverpb.Member m : found.members()) {
            URI u = m.getID() == found.memberId() ? config.listenPeerUrl() : URI.create(m.getPeerURLs(0));
            peers.add(new ReplicationConfig.Peer(m.getID(), NodeConfig.bindHost(u), u.getPort()));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, Long.toHexString(found.memberId()) + " " + Long.toHexString(found.clusterId()) + "\n",
                StandardCharsets.UTF_8);
        return new ClusterIdentity(found.memberId(), found.clusterId(), peers, true);
    }
}
