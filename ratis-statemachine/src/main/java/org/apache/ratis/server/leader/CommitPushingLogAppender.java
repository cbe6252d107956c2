package org.apache.ratis.server.leader;

import org.apache.ratis.server.RaftServer;

/**
 * Ratis' default (Netty) appender, which also tells an idle follower a new commit index at once, in an
 * empty AppendEntries, as etcd's leader does after each commit. Without it a follower learns the index from
 * the next entry or heartbeat (up to half an election timeout later); Ratis' own cure, a log metadata entry
 * per commit, costs every member a second fsync per write. It lives in Ratis' package because the default
 * appender is package-private.
 */
public final class CommitPushingLogAppender extends LogAppenderDefault {
    public CommitPushingLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
        super(server, leaderState, follower);
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
