package io.keyline.gateway.watch;

import io.keyline.replication.RaftNode;
import io.keyline.replication.ReplicationException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's monitorLeader: checks once per election timeout whether this member has a leader, and after
 * {@link #MAX_NO_LEADER_TICKS} checks in a row without one cancels every watch stream that asked with
 * {@code hasleader}, so the client moves to a member that can still serve it.
 */
final class LeaderMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderMonitor.class);
    /** etcd's maxNoLeaderCnt. */
    static final int MAX_NO_LEADER_TICKS = 3;
    /** The election timeout RaftNode gives Ratis (its minimum RPC timeout); for tests. */
    static final long ELECTION_TIMEOUT_MS = 1000;

    private final RaftNode raft;
    private final Set<WatchSession> watching = ConcurrentHashMap.newKeySet();
    private int ticksWithoutLeader;

    LeaderMonitor(RaftNode raft, ScheduledExecutorService timer) {
        this.raft = raft;
        timer.scheduleWithFixedDelay(this::tick, ELECTION_TIMEOUT_MS, ELECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    void register(WatchSession s) {
        watching.add(s);
    }

    void unregister(WatchSession s) {
        watching.remove(s);
    }

    private void tick() {
        boolean leaderless;
        try {
            leaderless = !raft.hasLeader();
        } catch (RuntimeException stopped) {
            return;
        }
        if (!leaderless) {
            ticksWithoutLeader = 0;
            return;
        }
        if (++ticksWithoutLeader >= MAX_NO_LEADER_TICKS && !watching.isEmpty()) {
            LOG.warn("no leader for {} election timeouts; cancelling {} hasleader watch streams",
                    ticksWithoutLeader, watching.size());
            for (WatchSession s : Set.copyOf(watching)) {
                s.abort(ReplicationException.Kind.NO_LEADER);
            }
            ticksWithoutLeader = 0;
        }
    }
}
