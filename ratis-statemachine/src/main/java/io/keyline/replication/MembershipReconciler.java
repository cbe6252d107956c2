package io.keyline.replication;

import io.keyline.api.etcdserverpb.Member;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Raft configuration equal to the member directory, on the leader.
 *
 * <p>Order of a membership change: the directory entry first (validated and applied through the
 * log, where etcd's errors come from), then Ratis' setConfiguration to match it (voters are the
 * directory's voting members, Ratis listeners its learners). The directory is the intent and the
 * configuration follows it: a crash or leader change between the two only delays the second step,
 * since whichever member leads next compares the two again, so a member is never half-added or
 * half-removed. A new member enters the configuration once its peer port answers and it has caught up
 * (Ratis stages it), where etcd counts a new voter in the quorum at once; until then it is listed
 * but "unstarted", and etcd's "unhealthy cluster" check keeps a second voter from being added.
 * A leader being removed hands its leadership to a remaining voter first, which then commits the
 * configuration without it. A promoted learner leaves the configuration for one step and comes
 * back as a voter through Ratis' staging, the only path on which Ratis lets a new voter vote.
 */
final class MembershipReconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipReconciler.class);
    /** How often the leader compares; a change also triggers a comparison at once. */
    static final long INTERVAL_MS = 500;
    static final long PROBE_TIMEOUT_MS = 300;
    static final long TRANSFER_TIMEOUT_MS = 3_000;

    private final RaftServer server;
    private final RaftGroupId groupId;
    private final MemberDirectory directory;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keyline-membership");
        t.setDaemon(true);
        return t;
    });

    MembershipReconciler(RaftServer server, RaftGroupId groupId, MemberDirectory directory) {
        this.server = server;
        this.groupId = groupId;
        this.directory = directory;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::reconcileQuietly, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    void trigger() {
        timer.execute(this::reconcileQuietly);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (IOException | RuntimeException e) {
            LOG.debug("membership reconciliation deferred", e);
        }
    }

    private void reconcile() throws IOException {
        RaftServer.Division division = server.getDivision(groupId);
        if (!division.getInfo().isLeader() || !directory.bootstrapped() || inFlight.get()) {
            return;
        }
        RaftConfiguration conf = division.getRaftConf();
        if (!conf.getPreviousPeers(RaftPeerRole.FOLLOWER).isEmpty()) {
            return; // a change is still being committed
        }
        Set<String> inConf = key(conf.getAllPeers(RaftPeerRole.FOLLOWER));
        inConf.addAll(key(conf.getAllPeers(RaftPeerRole.LISTENER)));
        // A member added but not started yet would be staged in vain (and Ratis logs every failed
        // attempt to reach it): it enters once its peer port answers.
        List<Member> members = directory.members().stream()
                .filter(m -> m.getPeerURLsCount() > 0)
                .filter(m -> inConf.contains(RaftNode.peerId(m.getID()) + "@" + address(m)) || reachable(address(m)))
                .toList();
        List<RaftPeer> voters = peers(members, false);
        List<RaftPeer> listeners = peers(members, true);
        if (voters.isEmpty() || (same(voters, conf.getCurrentPeers(RaftPeerRole.FOLLOWER))
                && same(listeners, conf.getCurrentPeers(RaftPeerRole.LISTENER)))) {
            return;
        }
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        if (voters.stream().noneMatch(p -> p.getId().equals(division.getId()))) {
            handOver(division, voters, conf);
            return;
        }
        // Ratis turns a listener into a voter without staging it, so the leader never marks it
        // caught up and it stays unable to vote: a promoted learner is left out once, and the next
        // round stages it as a new voter.
        List<RaftPeer> nextVoters = voters.stream()
                .filter(p -> conf.getPeer(p.getId(), RaftPeerRole.LISTENER) == null).toList();
        SetConfigurationRequest request = new SetConfigurationRequest(clientId, division.getId(), groupId,
                callIds.incrementAndGet(), SetConfigurationRequest.Arguments.newBuilder()
                        .setServersInNewConf(nextVoters).setListenersInNewConf(listeners).build());
        server.setConfigurationAsync(request).whenComplete((reply, error) -> {
            inFlight.set(false);
            if (error == null && reply.isSuccess()) {
                LOG.info("raft configuration now voters {} learners {}", ids(nextVoters), ids(listeners));
                trigger();
            } else {
                // An added voter that has not started yet cannot be staged: try again later.
                LOG.debug("raft configuration change to voters {} learners {} not done yet: {}", ids(nextVoters),
                        ids(listeners), error != null ? error : reply.getException());
            }
        });
    }

    /**
     * A leader being removed first hands leadership to a voter that stays, which then changes the
     * configuration: the cluster goes on at once instead of waiting out an election timeout.
     */
    private void handOver(RaftServer.Division division, List<RaftPeer> voters, RaftConfiguration conf) {
        RaftPeer next = voters.stream().filter(p -> conf.getPeer(p.getId(), RaftPeerRole.FOLLOWER) != null)
                .findFirst().orElse(null);
        if (next == null) {
            inFlight.set(false);
            return;
        }
        try {
            server.transferLeadershipAsync(new TransferLeadershipRequest(clientId, division.getId(), groupId,
                    callIds.incrementAndGet(), next.getId(), TRANSFER_TIMEOUT_MS)).whenComplete((reply, error) -> {
                        inFlight.set(false);
                        if (error == null && reply.isSuccess()) {
                            LOG.info("leadership handed to {} before this member leaves the configuration", next.getId());
                        }
                    });
        } catch (IOException e) {
            inFlight.set(false);
        }
    }

    private static List<RaftPeer> peers(List<Member> members, boolean learners) {
        return members.stream().filter(m -> m.getIsLearner() == learners && m.getPeerURLsCount() > 0)
                .map(m -> RaftPeer.newBuilder().setId(RaftNode.peerId(m.getID())).setAddress(address(m)).build())
                .toList();
    }

    /** The first peer URL's host:port: Ratis' Netty transport speaks on the etcd peer port. */
    static String address(Member m) {
        URI u = URI.create(m.getPeerURLs(0));
        String host = "localhost".equals(u.getHost()) ? "127.0.0.1" : u.getHost();
        return host + ":" + u.getPort();
    }

    private static boolean reachable(String address) {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), (int) PROBE_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean same(List<RaftPeer> wanted, Collection<RaftPeer> current) {
        return key(wanted).equals(key(current));
    }

    private static Set<String> key(Collection<RaftPeer> peers) {
        return peers.stream().map(p -> p.getId() + "@" + p.getAddress()).collect(Collectors.toCollection(HashSet::new));
    }

    private static String ids(List<RaftPeer> peers) {
        return peers.stream().map(p -> p.getId().toString()).toList().toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
