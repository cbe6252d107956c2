package io.keyline.replication;

import io.keyline.api.etcdserverpb.AlarmRequest;
import io.keyline.api.etcdserverpb.AlarmType;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.lease.Lease;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.keyspace.quota.SpaceQuota;
import io.keyline.replication.proto.LeaseQuery;
import io.keyline.replication.proto.LeaseQueryResult;
import io.keyline.api.etcdserverpb.Member;
import io.keyline.replication.proto.MemberDirectoryState;
import io.keyline.replication.proto.MembershipChange;
import io.keyline.replication.proto.LogRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.client.impl.ClientProtoUtils;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.netty.NettyRpcProxy;
import org.apache.ratis.netty.client.NettyClientRpc;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's Raft side: a Ratis server hosting the key-value group, the group-commit proposer
 * that feeds it in-process, and the read barrier for linearizable reads.
 */
public final class RaftNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

    private final ReplicationConfig config;
    private final RaftGroupId groupId;
    private final KvStateMachine stateMachine;
    private final ClientId clientId;
    private final AtomicLong callIds = new AtomicLong();
    /** Answers linearizable reads off Ratis' threads, which complete queries while holding its locks. */
    private final java.util.concurrent.ExecutorService readIndexThreads = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "keyline-read-index");
                t.setDaemon(true);
                return t;
            });
    private final ReadIndexBatcher readIndex = new ReadIndexBatcher(() -> leaderQuery(KvStateMachine.APPLIED_INDEX_QUERY)
            .thenApply(content -> content.asReadOnlyByteBuffer().getLong()), readIndexThreads);
    /** How long a request waits for a leader before failing; below the gateway's request timeout. */
    static final long NO_LEADER_WAIT_MS = 5_000;
    static final long RETRY_INTERVAL_MS = 20;
    static final long FORWARD_TIMEOUT_MS = 10_000;
    /** How long a member add waits for the leader to say whether every voter is connected. */
    static final long VOTERS_CONNECTED_WAIT_MS = 2_000;
    /** One connection per forwarded entry a follower may have out, and one for its read barriers. */
    static final int FORWARD_CONNECTIONS = GroupCommitProposer.MAX_FORWARDS_IN_FLIGHT + 1;
    private static final int READ_BARRIER_CONNECTION = FORWARD_CONNECTIONS - 1;
    /**
     * Lease queries have their own client, used through Ratis' blocking API with a short timeout: the
     * async client orders its requests, so one sent to a leader that just died would hold up every
     * renewal behind it for the whole request timeout.
     */
    static final long LEASE_QUERY_ATTEMPT_MS = 1_500;
    static final int LEASE_QUERY_THREADS = 16;

    private RaftServer server;
    private GroupCommitProposer proposer;
    /**
     * Carry a follower's entries (each on an idle one) and, on their own, its read barriers to the
     * leader it knows; see {@link #forwarder(int)}. Ratis' Netty server handles a client request on
     * its connection's event loop until it is answered, so requests sharing a connection wait for
     * each other: one connection, 3-member put at 100 clients 6.2-6.9k req/s; these, 7.5-8.0k.
     */
    private final RaftClient[] forwarders = new RaftClient[FORWARD_CONNECTIONS];
    private final AtomicIntegerArray forwardsOut = new AtomicIntegerArray(READ_BARRIER_CONNECTION);
    /** Carries a follower's lease queries to the leader's lessor; see {@link #leaseForwarder()}. */
    private RaftClient leaseForwarder;
    private RaftPeerId leaseForwarderLeader;
    private final java.util.concurrent.ExecutorService leaseQueryThreads =
            java.util.concurrent.Executors.newFixedThreadPool(LEASE_QUERY_THREADS, r -> {
                Thread t = new Thread(r, "keyline-lease-forwarder");
                t.setDaemon(true);
                return t;
            });
    private RaftPeerId forwarderLeader;
    private MembershipReconciler reconciler;
    private PeerActivity peerActivity;
    private final AtomicBoolean raisingNoSpace = new AtomicBoolean();
    private volatile boolean closed;

    public RaftNode(ReplicationConfig config) {
        this.config = config;
        this.groupId = RaftGroupId.valueOf(new UUID(config.clusterId(), config.clusterId()));
        this.stateMachine = new KvStateMachine(config.kvDir(), config.leaseCheckpointIntervalMs(),
                new SpaceQuota(config.quotaBackendBytes()));
        this.clientId = stateMachine.ownEntries().clientId();
    }

    public void start() throws IOException {
        boolean fresh = !Files.exists(config.raftDir());
        Files.createDirectories(config.raftDir());
        List<RaftPeer> peers = config.members().stream()
                .map(p -> RaftPeer.newBuilder().setId(peerId(p.id())).setAddress(p.address()).build())
                .toList();
        // A joining member starts outside the configuration: the leader brings it in (log or snapshot).
        RaftGroup group = config.join() && fresh ? RaftGroup.valueOf(groupId) : RaftGroup.valueOf(groupId, peers);
        server = RaftServer.newBuilder()
                .setServerId(peerId(config.self()))
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(properties())
                .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        reconciler = new MembershipReconciler(server, groupId, stateMachine.memberDirectory());
        reconciler.start();
        peerActivity = new PeerActivity(server, groupId);
        peerActivity.start();
        proposer = new GroupCommitProposer(this::submit, RaftNode::mapFailure, this::forwardsToLeader,
                stateMachine::awaitApplied, config.maxRequestBytes());
        stateMachine.lessor().start(this::write);
        stateMachine.onWriteOverQuota(this::raiseNoSpaceOnApply);
        LOG.info("raft member {} started on {} ({} storage)", peerId(config.self()), config.selfPeer().address(),
                fresh ? "new" : "recovered");
    }

    private RaftProperties properties() {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, new EventLoopAppenderRpc());
        NettyConfigKeys.Server.setHost(p, config.selfPeer().host());
        NettyConfigKeys.Server.setPort(p, config.selfPeer().port());
        RaftServerConfigKeys.setStorageDir(p, List.of(config.raftDir().toFile()));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotCount());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, config.catchupEntries());
        // The largest entry (a group-committed batch) must fit the write buffer, and Ratis refuses to
        // start unless the appender's byte limit is below the write buffer size minus 8.
        SizeInBytes writeBuffer = SizeInBytes.valueOf((2 * GroupCommitProposer.MAX_BYTES_PER_ENTRY + (4 << 20)) + "B");
        RaftServerConfigKeys.Log.setWriteBufferSize(p, writeBuffer);
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p,
                SizeInBytes.valueOf((2 * GroupCommitProposer.MAX_BYTES_PER_ENTRY) + "B"));
        // Ratis purges whole closed segments, at most every purge-gap entries: keep both small enough
        // that each snapshot really releases the log before it, as etcd compacts its log on snapshot.
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(config.snapshotCount(), 1024)));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
        // Followers hear of each commit from the appender (see EventLoopLogAppender), not from a log entry
        // per commit, which cost every member a second fsync per write.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        // etcd resumes after any pause (SIGSTOP, a long GC); Ratis would close the server after 60 s.
        RaftServerConfigKeys.setCloseThreshold(p, TimeDuration.valueOf(365, TimeUnit.DAYS));
        // Read-index queries sent to the leader wait as long as a forwarded entry (whose limit is on Deadlines);
        // the gateway's own timeout answers the client.
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(FORWARD_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        // Ratis' Netty server handles one AppendEntries at a time per connection, so the chain that keeps
        // concurrent appends in order only adds two thread hops per append on every follower.
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
        return p;
    }

    static RaftPeerId peerId(long memberId) {
        return RaftPeerId.valueOf(Long.toHexString(memberId));
    }

    /** A follower that knows its leader sends proposals and queries there; a leader keeps them. */
    private boolean forwardsToLeader() {
        return hasLeader() && !isLeader();
    }

    /**
     * Puts an entry into the leader's log exactly once: in-process on the leader, forwarded whole by a
     * follower. Every attempt is the same request (this member's client id and one call id), and a
     * new leader turns requests away until it has applied every earlier entry, so its retry cache
     * answers an attempt whose entry an earlier attempt got committed after all. The outcomes come
     * from this member's own apply of the entry (see {@link OwnEntries}).
     */
    private CompletableFuture<RaftClientReply> submit(ProposedEntry entry) {
        long callId = callIds.incrementAndGet();
        OwnEntries own = stateMachine.ownEntries();
        own.expect(callId, entry);
        CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
        retrying(() -> deliver(entry, callId), RaftNode::mayRetry, 0, result);
        return result.whenComplete((r, error) -> {
            if (error != null || !r.isSuccess()) {
                own.forget(callId);
            } else {
                // Applied through a snapshot instead of the log, the entry is never claimed.
                stateMachine.awaitApplied(r.getLogIndex()).thenRun(() -> own.forget(callId));
            }
        });
    }

    /** One attempt: in-process on the leader, else to the leader over an idle forwarding connection. */
    private CompletableFuture<RaftClientReply> deliver(ProposedEntry entry, long callId) {
        if (!forwardsToLeader()) {
            return submitInProcess(request(entry, RaftClientRequest.writeRequestType(), callId, server.getId()));
        }
        int connection = idlestEntryConnection();
        forwardsOut.incrementAndGet(connection);
        CompletableFuture<RaftClientReply> reply;
        try {
            RaftClient forwarder = forwarder(connection);
            RaftPeerId leader = forwarder.getLeaderId();
            // The leader may have gone since forwardsToLeader() looked.
            reply = leader == null
                    ? CompletableFuture.failedFuture(new ReplicationException(ReplicationException.Kind.NO_LEADER, null))
                    : sendOnConnection(forwarder, request(entry, RaftClientRequest.writeRequestType(), callId, leader));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.whenComplete((r, error) -> forwardsOut.decrementAndGet(connection));
    }

    /**
     * Straight onto the forwarding connection: Ratis' client adds a timer task per request, and its timer
     * thread wakes for each one when its limit passes, a thread switch per forwarded write. The limit is
     * kept on {@link Deadlines} instead; a leader's refusal in the reply goes to {@link #retrying} as before.
     */
    private static CompletableFuture<RaftClientReply> sendOnConnection(RaftClient forwarder, RaftClientRequest request) {
        NettyRpcProxy proxy;
        try {
            proxy = ((NettyClientRpc) forwarder.getClientRpc()).getProxies().getProxy(request.getServerId());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        RaftNettyServerRequestProto proto = RaftNettyServerRequestProto.newBuilder()
                .setRaftClientRequest(ClientProtoUtils.toRaftClientRequestProto(request)).build();
        return Deadlines.within(proxy.sendAsync(proto)
                .thenApply(reply -> ClientProtoUtils.toRaftClientReply(reply.getRaftClientReply())),
                FORWARD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, or {@code retryable} failures have gone on
     * for {@link #NO_LEADER_WAIT_MS} ({@code deadline} 0 until the first one), as etcd holds requests
     * while the group has no ready leader (just started, or between elections).
     */
    private void retrying(Supplier<CompletableFuture<RaftClientReply>> attempt, Predicate<Throwable> retryable,
            long deadline, CompletableFuture<RaftClientReply> result) {
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = attempt.get();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, error) -> {
            Throwable cause = unwrap(error != null ? error : (r.isSuccess() ? null : r.getException()));
            long until = deadline != 0 ? deadline : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NO_LEADER_WAIT_MS);
            if (cause != null && retryable.test(cause) && !closed && System.nanoTime() < until) {
                CompletableFuture.delayedExecutor(RETRY_INTERVAL_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> retrying(attempt, retryable, until, result));
            } else if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(r);
            }
        });
    }

    /** A request of this member's client; every attempt of one entry keeps its call id. */
    private RaftClientRequest request(Message message, RaftClientRequest.Type type, long callId, RaftPeerId to) {
        return RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(to)
                .setGroupId(groupId)
                .setCallId(callId)
                .setMessage(message)
                .setType(type)
                .build();
    }

    /**
     * Whether another attempt with the same call id is safe and may succeed: the leader refused it,
     * is changing, could not be reached or did not answer in time. A state machine's own failure is final.
     */
    private static boolean mayRetry(Throwable cause) {
        return isLeaderless(cause) || cause instanceof LeaderSteppingDownException
                || cause instanceof TimeoutException
                || (cause instanceof ReplicationException r && r.kind() == ReplicationException.Kind.NO_LEADER)
                || cause instanceof ResourceUnavailableException
                || (cause instanceof IOException && !(cause instanceof StateMachineException)
                        && !(cause instanceof GroupMismatchException));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Submits a read in-process, retrying while there is no ready leader. */
    private CompletableFuture<RaftClientReply> submitRead(Message query) {
        RaftClientRequest request = request(query, RaftClientRequest.readRequestType(), callIds.incrementAndGet(),
                server.getId());
        CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
        retrying(() -> submitInProcess(request), RaftNode::isLeaderless, 0, result);
        return result;
    }

    /**
     * Straight into the division: RaftServer's own entry point hops to a client executor and blocks
     * the calling thread until that hop is done, two thread switches per request for nothing.
     */
    private CompletableFuture<RaftClientReply> submitInProcess(RaftClientRequest request) {
        try {
            return ((RaftClientAsynchronousProtocol) server.getDivision(groupId)).submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Proposes one write; completes with its outcome once applied on this member. */
    public CompletableFuture<WriteOutcome> write(LogRequest request) {
        return proposer.propose(request);
    }

    /** Proposes the NOSPACE alarm for this member, as etcd does for a write that would pass the quota. */
    public CompletableFuture<WriteOutcome> raiseNoSpace() {
        AlarmRequest raise = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
                .setMemberID(config.self()).setAlarm(AlarmType.NOSPACE).build();
        return write(LogRequest.newBuilder().setAlarm(raise).build());
    }

    /** From the apply thread: one proposal at a time, however many writes overshoot meanwhile. */
    private void raiseNoSpaceOnApply() {
        if (raisingNoSpace.compareAndSet(false, true)) {
            LOG.warn("a write exceeded the backend quota when applied; raising the NOSPACE alarm");
            raiseNoSpace().whenComplete((o, e) -> raisingNoSpace.set(false));
        }
    }

    /**
     * Completes once this member has applied everything committed before the call (ReadIndex). A
     * follower asks the leader, which confirms its leadership first, for its applied index and then
     * waits to apply up to it: Ratis' own follower read needs an RPC its Netty transport lacks.
     * Reads that arrive together share one query.
     */
    public CompletableFuture<Void> readBarrier() {
        return readIndex.readIndex().thenCompose(stateMachine::awaitApplied);
    }

    private int idlestEntryConnection() {
        int best = 0;
        for (int i = 1; i < forwardsOut.length(); i++) {
            if (forwardsOut.get(i) < forwardsOut.get(best)) {
                best = i;
            }
        }
        return best;
    }

    /**
     * A client aimed at the leader this member follows, over the current configuration's peers
     * (members come and go). A new one is built when the leader changes, so a forward never waits
     * on a leader that was removed or died; the old one closes once its requests can have ended.
     */
    private synchronized RaftClient forwarder(int connection) {
        RaftPeerId leader = info().getLeaderId();
        if (!Objects.equals(leader, forwarderLeader)) {
            for (int i = 0; i < forwarders.length; i++) {
                retire(forwarders[i]);
                forwarders[i] = null;
            }
            forwarderLeader = leader;
        }
        if (forwarders[connection] == null) {
            forwarders[connection] = leaderClient(properties(), RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                    (int) (NO_LEADER_WAIT_MS / 50), TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)), leader);
        }
        return forwarders[connection];
    }

    /**
     * Like {@link #forwarder()}, for lease queries: short attempts, so that a renewal never waits long
     * on a leader that has gone (a keep-alive stream would give up).
     */
    private synchronized RaftClient leaseForwarder() {
        RaftPeerId leader = info().getLeaderId();
        if (leaseForwarder == null || !Objects.equals(leader, leaseForwarderLeader)) {
            retire(leaseForwarder);
            RaftProperties leaseQueries = properties();
            RaftClientConfigKeys.Rpc.setRequestTimeout(leaseQueries,
                    TimeDuration.valueOf(LEASE_QUERY_ATTEMPT_MS, TimeUnit.MILLISECONDS));
            leaseForwarder = leaderClient(leaseQueries, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                    3, TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)), leader);
            leaseForwarderLeader = leader;
        }
        return leaseForwarder;
    }

    /** An old client closes once its requests can have ended. */
    private static void retire(RaftClient old) {
        if (old != null) {
            CompletableFuture.delayedExecutor(2 * FORWARD_TIMEOUT_MS, TimeUnit.MILLISECONDS).execute(() -> closeQuietly(old));
        }
    }

    /** A client aimed at {@code leader} over the current configuration's peers, whose addresses win over the flags'. */
    private RaftClient leaderClient(RaftProperties properties, org.apache.ratis.retry.RetryPolicy retry, RaftPeerId leader) {
        Map<RaftPeerId, RaftPeer> byId = new LinkedHashMap<>();
        config.members().forEach(p -> byId.put(peerId(p.id()),
                RaftPeer.newBuilder().setId(peerId(p.id())).setAddress(p.address()).build()));
        try {
            server.getDivision(groupId).getRaftConf().getAllPeers(RaftPeerRole.FOLLOWER)
                    .forEach(p -> byId.put(p.getId(), p));
        } catch (IOException e) {
            throw new ReplicationException(ReplicationException.Kind.STOPPED, e);
        }
        return RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(RaftGroup.valueOf(groupId, byId.values()))
                .setLeaderId(leader)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(retry)
                .build();
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing a forwarding client", e);
        }
    }

    /** Asks the leader's state machine, once it has confirmed its leadership. */
    private CompletableFuture<ByteString> leaderQuery(Message query) {
        CompletableFuture<RaftClientReply> reply = forwardsToLeader()
                ? forwarder(READ_BARRIER_CONNECTION).async().sendReadOnly(query)
                : submitRead(query);
        return reply.handle((r, error) -> {
            Throwable failure = error != null ? error : (r.isSuccess() ? null : r.getException());
            if (failure != null) {
                throw mapFailure(failure);
            }
            return r.getMessage().getContent();
        });
    }

    /**
     * Proposes a membership change; completes with the members after it, or fails with etcd's
     * error (nothing changed). The Raft configuration follows once it has applied.
     */
    public CompletableFuture<List<Member>> changeMembership(MembershipChange change) {
        return write(LogRequest.newBuilder().setMembership(change).build()).thenApply(outcome -> {
            if (outcome.failed()) {
                throw new KeyspaceException(outcome.error());
            }
            reconciler.trigger();
            return ((MemberDirectoryState) outcome.response()).getMembersList();
        });
    }

    /** etcd's isLearnerReady, judged by the leader from how far the learner's log has come. */
    public CompletableFuture<Boolean> learnerReady(long memberId) {
        return leaderQuery(MembershipQueries.learnerReady(memberId)).thenApply(c -> c.byteAt(0) == 1);
    }

    /** The members as this member has applied them (etcd's order: by id). */
    public List<Member> members() {
        return stateMachine.memberDirectory().members();
    }

    /** Whether the initial cluster has been recorded in the log yet. */
    public boolean membershipBootstrapped() {
        return stateMachine.memberDirectory().bootstrapped();
    }

    /**
     * Whether every voting member is connected, as the leader sees it: etcd checks this before any
     * member add, a learner's too. No answer in time (no leader, no quorum) counts as no, as etcd's
     * member, cut off from its peers, answers at once.
     */
    public CompletableFuture<Boolean> votersConnected() {
        return leaderQuery(MembershipQueries.VOTERS_CONNECTED).thenApply(c -> c.byteAt(0) == 1)
                .completeOnTimeout(false, VOTERS_CONNECTED_WAIT_MS, TimeUnit.MILLISECONDS)
                .exceptionally(e -> false);
    }

    /** Snapshots this member sent to followers as leader (Ratis counts each completed install). */
    public long snapshotsSent() {
        try {
            return ((org.apache.ratis.server.metrics.RaftServerMetricsImpl) server.getDivision(groupId)
                    .getRaftServerMetrics()).getNumInstallSnapshot().getCount();
        } catch (IOException e) {
            throw new ReplicationException(ReplicationException.Kind.STOPPED, e);
        }
    }

    /** Voting members in the Raft configuration this member has. */
    public int raftVoters() {
        try {
            return server.getDivision(groupId).getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER).size();
        } catch (IOException e) {
            throw new ReplicationException(ReplicationException.Kind.STOPPED, e);
        }
    }

    /** Whether the directory has this member as a learner (a Ratis listener). */
    public boolean isLearner() {
        return stateMachine.memberDirectory().get(config.self()).map(Member::getIsLearner).orElse(false);
    }

    /** Whether this member was removed from the cluster, as etcd checks before it shuts down. */
    public boolean removedFromCluster() {
        return stateMachine.memberDirectory().isRemoved(config.self());
    }

    /**
     * Whether the Raft configuration this member knows still has it. A removed leader must stay
     * until the configuration without it commits, or the others could be left without a quorum.
     */
    public boolean inRaftConfiguration() {
        try {
            return server.getDivision(groupId).getRaftConf()
                    .getPeer(server.getId(), RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** etcd's LeaseRenew: the leader's lessor renews (never through the log); completes with the granted TTL. */
    public CompletableFuture<Long> leaseRenew(long leaseId) {
        return leaseQuery(LeaseQuery.newBuilder().setRenew(leaseId).build()).thenApply(LeaseQueryResult::getRenewedTtl);
    }

    /** etcd's LeaseTimeToLive, answered by the leader, which alone keeps lease time. */
    public CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request) {
        return leaseQuery(LeaseQuery.newBuilder().setTimeToLive(request).build())
                .thenApply(LeaseQueryResult::getTimeToLive);
    }

    /** The leases as this member has applied them, soonest expiry first where this member keeps time. */
    public List<Lease> leasesByExpiry() {
        return stateMachine.lessor().byExpiry();
    }

    /**
     * Asks the primary lessor: in-process on the leader, else the leader's state machine through a
     * read-only Ratis message (etcd forwards renewals to the leader over HTTP). While no member is
     * primary yet (an election, a leader not yet promoted) it asks again until {@link #NO_LEADER_WAIT_MS}.
     */
    private CompletableFuture<LeaseQueryResult> leaseQuery(LeaseQuery query) {
        CompletableFuture<LeaseQueryResult> result = new CompletableFuture<>();
        askLessor(query, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NO_LEADER_WAIT_MS), result);
        return result;
    }

    private void askLessor(LeaseQuery query, long deadline, CompletableFuture<LeaseQueryResult> result) {
        CompletableFuture<LeaseQueryResult> answer;
        if (isLeader()) {
            answer = stateMachine.lessor().answer(query);
        } else if (hasLeader()) {
            Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
            answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return leaseForwarder().io().sendReadOnlyNonLinearizable(message);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, leaseQueryThreads).thenApply(reply -> {
                        if (!reply.isSuccess()) {
                            return LeaseQueryResult.newBuilder().setNotPrimary(true).build();
                        }
                        try {
                            return LeaseQueryResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
                        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                            throw new CompletionException(e);
                        }
                    });
        } else {
            answer = CompletableFuture.completedFuture(LeaseQueryResult.newBuilder().setNotPrimary(true).build());
        }
        answer.whenComplete((r, error) -> {
            boolean retry = error != null || r.getNotPrimary();
            if (!retry) {
                if (r.hasError()) {
                    result.completeExceptionally(new KeyspaceException(EtcdError.valueOf(r.getError())));
                } else {
                    result.complete(r);
                }
            } else if (!closed && System.nanoTime() < deadline) {
                CompletableFuture.delayedExecutor(RETRY_INTERVAL_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> askLessor(query, deadline, result));
            } else {
                result.completeExceptionally(error != null ? mapFailure(error)
                        : new ReplicationException(ReplicationException.Kind.NO_LEADER, null));
            }
        });
    }

    private static boolean isLeaderless(Throwable cause) {
        return cause instanceof NotLeaderException || cause instanceof LeaderNotReadyException
                || cause instanceof ReadIndexException;
    }

    static RuntimeException mapFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ReplicationException || cause instanceof io.keyline.keyspace.KeyspaceException) {
            return (RuntimeException) cause;
        }
        ReplicationException.Kind kind;
        if (isLeaderless(cause) || cause instanceof LeaderSteppingDownException) {
            kind = ReplicationException.Kind.NO_LEADER;
        } else if (cause instanceof TimeoutIOException || cause instanceof TimeoutException
                || cause instanceof RaftRetryFailureException) {
            kind = ReplicationException.Kind.TIMEOUT;
        } else {
            kind = ReplicationException.Kind.STOPPED;
        }
        return new ReplicationException(kind, cause);
    }

    /**
     * etcd's MoveLeader: only the leader may hand over leadership, and only to a voting member of
     * the group; completes once the transferee leads.
     */
    public CompletableFuture<Void> transferLeadership(long targetMemberId, long timeoutMs) {
        if (!isLeader()) {
            return CompletableFuture.failedFuture(new ReplicationException(ReplicationException.Kind.NOT_LEADER, null));
        }
        boolean known = membershipBootstrapped()
                ? members().stream().anyMatch(m -> m.getID() == targetMemberId && !m.getIsLearner())
                : config.members().stream().anyMatch(p -> p.id() == targetMemberId);
        if (!known) {
            return CompletableFuture.failedFuture(
                    new ReplicationException(ReplicationException.Kind.BAD_LEADER_TRANSFEREE, null));
        }
        if (targetMemberId == config.self()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return server.transferLeadershipAsync(new TransferLeadershipRequest(clientId, server.getId(), groupId,
                    callIds.incrementAndGet(), peerId(targetMemberId), timeoutMs)).thenAccept(reply -> {
                        if (!reply.isSuccess()) {
                            throw mapFailure(reply.getException());
                        }
                    });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(mapFailure(e));
        }
    }

    public MvccStore store() {
        return stateMachine.store();
    }

    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(groupId).getInfo();
        } catch (IOException e) {
            throw new ReplicationException(ReplicationException.Kind.STOPPED, e);
        }
    }

    public long term() {
        return info().getCurrentTerm();
    }

    public boolean hasLeader() {
        return info().getLeaderId() != null;
    }

    /** The leader's etcd member id, or 0 when there is none. */
    public long leaderId() {
        RaftPeerId leader = info().getLeaderId();
        return leader == null ? 0 : Long.parseUnsignedLong(leader.toString(), 16);
    }

    public boolean isLeader() {
        return info().isLeader();
    }

    /** Raft indexes as etcd reports them: etcd's log starts at 1, Ratis' at 0. */
    public long commitIndex() {
        try {
            return server.getDivision(groupId).getRaftLog().getLastCommittedIndex() + 1;
        } catch (IOException e) {
            throw new ReplicationException(ReplicationException.Kind.STOPPED, e);
        }
    }

    public long appliedIndex() {
        return info().getLastAppliedIndex() + 1;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (reconciler != null) {
            reconciler.close();
        }
        if (peerActivity != null) {
            peerActivity.close();
        }
        if (proposer != null) {
            proposer.close();
        }
        synchronized (this) {
            for (RaftClient f : forwarders) {
                if (f != null) {
                    closeQuietly(f);
                }
            }
        }
        synchronized (this) {
            if (leaseForwarder != null) {
                leaseForwarder.close();
            }
        }
        leaseQueryThreads.shutdownNow();
        readIndexThreads.shutdownNow();
        if (server != null) {
            server.close();
        }
    }
}
