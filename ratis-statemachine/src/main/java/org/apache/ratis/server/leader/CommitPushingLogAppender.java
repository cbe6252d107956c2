package org.apache.ratis.server.leader;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.server.RaftServer;

/**
 * Ratis' default (Netty) appender, which also tells an idle follower a new commit index at once, in an
 * empty AppendEntries, as etcd's leader does after each commit. Without it a follower learns the index from
 * the next entry or heartbeat (up to half an election timeout later); Ratis' own cure, a log metadata entry
 * per commit, costs every member a second fsync per write. It lives in Ratis' package because the default
 * appender is package-private.
 *
 * <p>It also looks at a follower's higher term off its own thread (see {@link #onFollowerTerm}).
 */
public final class CommitPushingLogAppender extends LogAppenderDefault {
    /** Its own thread, not the common pool: it may wait on the server's monitor, and Ratis' followers use that pool. */
    private static final ExecutorService TERM_CHECKS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keyline-term-check");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean termCheckPending = new AtomicBoolean();

    public CommitPushingLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
        super(server, leaderState, follower);
    }

    /**
     * Ratis checks a follower's higher term under the server's monitor on the appender's thread, while its
     * step-down holds that monitor and waits up to 5 s for the appenders to stop: an appender blocked here
     * cannot stop, so a leader that lost its quorum (a SIGSTOP, a partition) stayed in limbo for 5 s. The
     * same check, under the same monitor, runs on another thread; this appender carries on and can stop.
     */
    @Override
    public boolean onFollowerTerm(long followerTerm) {
        if (termCheckPending.compareAndSet(false, true)) {
            TERM_CHECKS.execute(() -> {
                termCheckPending.set(false);
                synchronized (getServer()) {
                    if (isRunning()) {
                        getLeaderState().onFollowerTerm(getFollower(), followerTerm);
                    }
                }
            });
        }
        return false;
    }

    @Override
    public boolean hasAppendEntries() {
        if (super.hasAppendEntries()) {
            return true;
        }
        if (followerCommitBehind() && followerResponsive()) {
            triggerHeartbeat();
            return true;
        }
        return false;
    }

    private boolean followerCommitBehind() {
        return getRaftLog().getLastCommittedIndex() > getFollower().getCommitIndex();
    }

    /** A follower that stopped answering gets the usual heartbeat cadence, not a retry loop. */
    private boolean followerResponsive() {
        return getFollower().getLastRpcResponseTime().elapsedTimeMs() < getServer().properties().minRpcTimeoutMs();
    }
}
