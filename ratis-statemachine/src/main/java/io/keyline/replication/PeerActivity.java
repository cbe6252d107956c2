package io.keyline.replication;

import java.io.IOException;
import java.util.HashSet;
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
 * with a member down they were thousands of lines a second.
 */
final class PeerActivity implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerActivity.class);
    /** Three heartbeat intervals without a reply. */
    static final long INACTIVE_AFTER_MS = 1500;
    private static final long CHECK_EVERY_MS = 500;

    private final RaftServer server;
    private final RaftGroupId groupId;
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

    private void check(RoleInfoProto role) {
        if (!role.hasLeaderInfo()) {
            inactive.clear(); // a new leader judges its followers afresh
            return;
        }
        Set<String> followers = new HashSet<>();
        for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
            String id = f.getId().getId().toStringUtf8();
            followers.add(id);
            long silentMs = f.getLastRpcElapsedTimeMs();
            if (silentMs >= INACTIVE_AFTER_MS) {
                if (inactive.add(id)) {
                    LOG.warn("peer {} became inactive (no reply to the leader for {} ms)", id, silentMs);
                }
            } else if (inactive.remove(id)) {
                LOG.info("peer {} became active", id);
            }
        }
        inactive.retainAll(followers);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
