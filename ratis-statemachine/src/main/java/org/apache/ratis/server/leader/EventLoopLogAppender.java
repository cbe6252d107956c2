package org.apache.ratis.server.leader;

import io.keyline.replication.FollowerConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotReplyProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerReplyProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerRequestProto;
import org.apache.ratis.rpc.CallId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.raftlog.RaftLogIOException;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.Timestamp;

/**
 * The leader's appender for one follower, run on a Netty event loop instead of a thread of its own that
 * blocks on each AppendEntries: a new entry or commit is sent from the loop it was signalled to, and the
 * follower's answer is handled, and the next request sent, on the loop that read it. Ratis' default
 * appender put two more thread switches on every write's path (signal to appender thread to Netty loop,
 * and Netty loop back to the appender thread). As the default appender, it keeps one AppendEntries out at a
 * time and handles answers with the same code ({@link #handleReply}). Snapshots are still sent by the
 * appender's own thread, which otherwise only keeps the heartbeat cadence and the follower's health check.
 *
 * <p>It also tells an idle follower a new commit index at once, in an empty AppendEntries, as etcd's leader
 * does after each commit: without it a follower learns the index from the next entry or heartbeat (up to
 * half an election timeout later); Ratis' own cure, a log metadata entry per commit, costs every member a
 * second fsync per write. It lives in Ratis' package because the default appender is package-private.
 */
public final class EventLoopLogAppender extends LogAppenderDefault {
    /** Its own thread, not the common pool: it may wait on the server's monitor, and Ratis' followers use that pool. */
    private static final ExecutorService TERM_CHECKS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keyline-term-check");
        t.setDaemon(true);
        return t;
    });
    /** How often the appender's thread looks again while a request is out (heartbeat waits are negative then). */
    private static final long BUSY_RECHECK_MS = 20;
    /** A follower that is down fails every retry (each rpc sleep time); one line per this many. */
    private static final int FAILURES_PER_LOG_LINE = 100;
    private final AtomicBoolean termCheckPending = new AtomicBoolean();
    private final FollowerConnection connection;
    /** Held while an AppendEntries is out or a snapshot is being sent: one at a time, as the default appender. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean sendQueued = new AtomicBoolean();
    private int failures;

    public EventLoopLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower,
            FollowerConnection connection) {
        super(server, leaderState, follower);
        this.connection = connection;
    }

    @Override
    public void notifyLogAppender() {
        if (sendQueued.compareAndSet(false, true)) {
            connection.loop().execute(this::sendOnLoop);
        }
    }

    @Override
    public CompletableFuture<LifeCycle.State> stopAsync() {
        CompletableFuture<LifeCycle.State> stopped = super.stopAsync();
        connection.close();
        return stopped;
    }

    @Override
    public void run() throws InterruptedException, IOException {
        while (isRunning()) {
            SnapshotInfo snapshot = shouldSendAppendEntries() ? shouldInstallSnapshot() : null;
            if (snapshot != null && busy.compareAndSet(false, true)) {
                try {
                    sendSnapshot(snapshot);
                } finally {
                    busy.set(false);
                }
            }
            notifyLogAppender();
            long waitMs = busy.get() ? BUSY_RECHECK_MS : Math.max(1, getHeartbeatWaitTimeMs());
            getEventAwaitForSignal().await(waitMs, TimeUnit.MILLISECONDS);
            getLeaderState().checkHealth(getFollower());
        }
    }

    private void sendOnLoop() {
        sendQueued.set(false);
        if (!isRunning() || !busy.compareAndSet(false, true)) {
            return;
        }
        boolean sent = false;
        try {
            if (!shouldSendAppendEntries()) {
                return;
            }
            if (shouldInstallSnapshot() != null) {
                getEventAwaitForSignal().signal();
                return;
            }
            AppendEntriesRequestProto request = newAppendEntriesRequest(CallId.getAndIncrement(), false);
            if (request == null) {
                return;
            }
            resetHeartbeatTrigger();
            Timestamp sendTime = Timestamp.currentTime();
            getFollower().updateLastRpcSendTime(request.getEntriesCount() == 0);
            long callId = request.getServerRequest().getCallId();
            sent = true;
            connection.send(callId, RaftNettyServerRequestProto.newBuilder().setAppendEntriesRequest(request).build())
                    .whenComplete((reply, error) -> onAnswer(request, sendTime, reply, error));
        } catch (RaftLogIOException e) {
            LOG.warn("{}: cannot read the log for the next AppendEntries", this, e);
        } catch (RuntimeException e) {
            LOG.warn("{}: failed to build the next AppendEntries; restarting the appender", this, e);
            restart();
        } finally {
            if (!sent) {
                busy.set(false);
            }
        }
    }

    private void onAnswer(AppendEntriesRequestProto request, Timestamp sendTime, RaftNettyServerReplyProto answer,
            Throwable error) {
        try {
            if (error != null) {
                if (isRunning() && failures++ % FAILURES_PER_LOG_LINE == 0) {
                    LOG.warn("{}: AppendEntries failed ({} in a row): {}", this, failures, error.toString());
                }
                return;
            }
            if (failures > 0) {
                LOG.info("{}: AppendEntries answered again after {} failures", this, failures);
                failures = 0;
            }
            AppendEntriesReplyProto reply = answer.getAppendEntriesReply();
            getFollower().updateLastRpcResponseTime();
            getFollower().updateLastRespondedAppendEntriesSendTime(sendTime);
            getLeaderState().onFollowerCommitIndex(getFollower(), reply.getFollowerCommit());
            long first = request.getEntriesCount() > 0 ? request.getEntries(0).getIndex() : RaftLog.INVALID_LOG_INDEX;
            long previous = request.hasPreviousLog() ? request.getPreviousLog().getIndex() : RaftLog.INVALID_LOG_INDEX;
            handleReply(reply, first, previous, request.getEntriesCount() == 0);
        } catch (RuntimeException e) {
            LOG.warn("{}: failed to handle an AppendEntries answer; restarting the appender", this, e);
            restart();
            return;
        } finally {
            busy.set(false);
        }
        if (error != null) {
            connection.loop().schedule(this::notifyLogAppender,
                    getServer().properties().rpcSleepTime().toLong(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS);
        } else if (isRunning() && shouldSendAppendEntries()) {
            // New entries, a commit index, or a heartbeat asked for (a read index) while this one was out.
            sendOnLoop();
        }
    }

    /**
     * A follower whose next index is below the log's start gets the snapshot, chunk by chunk, from this
     * appender's own thread; the answer to the last chunk sent (the first refusal, or the final chunk) decides.
     */
    private void sendSnapshot(SnapshotInfo snapshot) throws InterruptedIOException {
        LOG.info("{}: follower needs index {}, the log starts at {}: sending it snapshot {}", this,
                getFollower().getNextIndex(), getRaftLog().getStartIndex(), snapshot.getTermIndex());
        InstallSnapshotReplyProto last;
        try {
            last = sendChunks(snapshot);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("{}: sending snapshot {} failed: {}", this, snapshot.getTermIndex(), e.toString());
            getServerRpc().handleException(getFollowerId(), e, false);
            return;
        }
        if (last == null) {
            return;
        }
        if (last.getServerReply().getSuccess()) {
            getFollower().setSnapshotIndex(snapshot.getTermIndex().getIndex());
            getServer().getRaftServerMetrics().onSnapshotInstalled();
            LOG.info("{}: follower took snapshot {}", this, snapshot.getTermIndex());
        }
        switch (last.getResult()) {
            case NOT_LEADER -> onFollowerTerm(last.getTerm());
            case SUCCESS, SNAPSHOT_UNAVAILABLE, ALREADY_INSTALLED, SNAPSHOT_EXPIRED -> getFollower().setAttemptedToInstallSnapshot();
            default -> { }
        }
    }

    /** The answer to the last chunk sent: chunks stop at the first one the follower refuses. */
    private InstallSnapshotReplyProto sendChunks(SnapshotInfo snapshot) throws IOException {
        InstallSnapshotReplyProto answer = null;
        Iterator<InstallSnapshotRequestProto> chunks =
                newInstallSnapshotRequests(UUID.randomUUID().toString(), snapshot).iterator();
        while (chunks.hasNext() && (answer == null || answer.getServerReply().getSuccess())) {
            getFollower().updateLastRpcSendTime(false);
            answer = getServerRpc().installSnapshot(chunks.next());
            getFollower().updateLastRpcResponseTime();
        }
        return answer;
    }

    /**
     * Ratis checks a follower's higher term under the server's monitor, while its step-down holds that
     * monitor and waits up to 5 s for the appenders to stop: an appender blocked there cannot stop, so a
     * leader that lost its quorum (a SIGSTOP, a partition) stayed in limbo for 5 s, and an event loop must
     * not block at all. The same check, under the same monitor, runs on another thread.
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
