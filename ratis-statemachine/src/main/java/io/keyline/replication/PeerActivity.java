package io.keyline.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, one line when a peer stops answering and one when it answers again, as etcd logs
 * "peer X became inactive" / "became active". Ratis' own per-attempt warnings are muted (see KeylineMain):
 * with a member down they were thousands of lines a second. As etcd, only a peer that answered this
 * leader can become inactive: a new leader's followers have not answered yet, and start quiet.
 */
final class PeerActivity implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerActivity.class);
    /** Three heartbeat intervals without a reply. */
    static final long INACTIVE_AFTER_MS = 1500;
    private static final long CHECK_EVERY_MS = 500;

    private final RaftServer server;
    private final RaftGroupId groupId;
    private final Set<String> answered = new HashSet<>();
    private final Set<String> inactive = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keyline-peer-activity");
        t.setDaemon(true);
        return t;
    });

    PeerActivity(RaftServer server, RaftGroupId groupId) {
        this.server = server;
        this.groupId = groupId;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::checkQuietly, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check(server.getDivision(groupId).getInfo().getRoleInfoProto());
        } catch (IOException | RuntimeException e) {
            LOG.debug("peer activity check skipped", e);
        }
    }

    /** A follower, in the leader's role info, that answered the leader within the last three heartbeats. */
    static boolean active(ServerRpcProto follower) {
        return follower.getLastRpcElapsedTimeMs() < INACTIVE_AFTER_MS;
    }

    /** Logs what changed since the last check and returns those lines. */
    List<String> check(RoleInfoProto role) {
        List<String> lines = new ArrayList<>();
        if (!role.hasLeaderInfo()) {
            answered.clear(); // a new leader judges its followers afresh
            inactive.clear();
            return lines;
        }
        Set<String> followers = new HashSet<>();
        for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
            String id = f.getId().getId().toStringUtf8();
            followers.add(id);
            long silentMs = f.getLastRpcElapsedTimeMs();
            if (!active(f)) {
                if (answered.contains(id) && inactive.add(id)) {
                    String line = "peer " + id + " became inactive (no reply to the leader for " + silentMs + " ms)";
                    LOG.warn(line);
                    lines.add(line);
                }
            } else {
                answered.add(id);
                if (inactive.remove(id)) {
                    String line = "peer " + id + " became active";
                    LOG.info(line);
                    lines.add(line);
                }
            }
        }
        answered.retainAll(followers);
        inactive.retainAll(followers);
        return lines;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
