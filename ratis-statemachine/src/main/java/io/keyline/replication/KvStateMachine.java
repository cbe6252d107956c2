package io.keyline.replication;

import io.keyline.api.etcdserverpb.AlarmMember;
import io.keyline.api.etcdserverpb.AlarmType;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.quota.SpaceQuota;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.keyspace.watch.WatchHub;
import io.keyline.replication.proto.LogEntry;
import io.keyline.replication.proto.LeaseQuery;
import io.keyline.replication.proto.LogRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Keyline log entries to the MVCC store. Each entry's writes and its applied index go
 * into one RocksDB write batch, so a restart resumes exactly after the last applied entry and
 * Ratis replays the rest of its log. etcd-level errors become that request's outcome; a storage
 * failure stops the node rather than let replicas diverge.
 */
public final class KvStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);
    /** The read-only request of a read barrier; {@link #query} answers it with the applied index. */
    static final Message APPLIED_INDEX_QUERY = Message.valueOf("applied-index");

    private final Path kvDir;
    private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
    private final AtomicLong snapshotsTaken = new AtomicLong();
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private final AppliedIndexWaiters appliedIndexWaiters = new AppliedIndexWaiters();
    private final MemberDirectory members = new MemberDirectory();
    private final AlarmStore alarms = new AlarmStore();
    private final Lessor lessor;
    private final WatchHub watchHub = new WatchHub();
    private final OwnEntries ownEntries = new OwnEntries(ClientId.randomId());
    private final SpaceQuota quota;
    private volatile Runnable overQuota = () -> { };
    private volatile MvccStore store;

    public KvStateMachine(Path kvDir, long leaseCheckpointIntervalMs, SpaceQuota quota) {
        this.kvDir = kvDir;
        this.lessor = new Lessor(leaseCheckpointIntervalMs);
        this.quota = quota;
    }

    /**
     * Runs on the apply thread when a write that another member proposed did not fit the quota here
     * while NOSPACE is not raised: as etcd's applier, every member whose own check fails raises it
     * (the proposing member raises it before it answers the write, in the gateway).
     */
    void onWriteOverQuota(Runnable raise) {
        overQuota = raise;
    }

    /** The backend quota this member applies writes under; the gateway checks arrivals against the same one. */
    public SpaceQuota quota() {
        return quota;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        snapshots.init(raftStorage);
        getLifeCycle().startAndTransition(this::load, IOException.class);
    }

    /** Ratis pauses the state machine before it installs a leader's snapshot, then reinitializes it. */
    @Override
    public void pause() {
        LifeCycle lifeCycle = getLifeCycle();
        if (lifeCycle.getCurrentState() == LifeCycle.State.RUNNING) {
            lifeCycle.transition(LifeCycle.State.PAUSING);
            lifeCycle.transition(LifeCycle.State.PAUSED);
        }
    }

    /**
     * Loads the store, first replacing it with the latest snapshot when that is newer: after Ratis
     * installed a leader's snapshot on this follower, or when the store lost writes the purged log
     * can no longer replay.
     */
    @Override
    public void reinitialize() throws IOException {
        load();
        LifeCycle lifeCycle = getLifeCycle();
        if (lifeCycle.getCurrentState() == LifeCycle.State.PAUSED) {
            lifeCycle.transition(LifeCycle.State.STARTING);
            lifeCycle.transition(LifeCycle.State.RUNNING);
        }
    }

    private void load() throws IOException {
        if (store != null) {
            store.close();
        }
        Files.createDirectories(kvDir.getParent());
        snapshots.reload();
        store = openStore();
        SnapshotInfo latest = snapshots.getLatestSnapshot();
        if (latest != null && store.appliedIndex() < latest.getIndex()) {
            store.close();
            CheckpointSnapshots.deleteTree(kvDir);
            snapshots.linkInto(latest.getTermIndex(), kvDir);
            store = openStore();
            snapshotsInstalled.incrementAndGet();
            LOG.info("key-value store restored from snapshot at index {}", latest.getIndex());
        }
        members.load(store);
        alarms.load(store);
        lessor.store().load(store);
        watchHub.attach(store);
        setLastAppliedTermIndex(TermIndex.valueOf(store.appliedTerm(), store.appliedIndex()));
        LOG.info("key-value store loaded at applied index {}, revision {}", store.appliedIndex(), store.currentRevision());
    }

    /** Opening replays the store's history, which rebuilds the lease attachments from scratch. */
    private MvccStore openStore() {
        lessor.store().clear();
        return MvccStore.open(kvDir, lessor.store());
    }

    public MvccStore store() {
        return store;
    }

    Lessor lessor() {
        return lessor;
    }

    /** What this member proposed and waits to apply; its requests carry this client id. */
    OwnEntries ownEntries() {
        return ownEntries;
    }

    /** The watchers served from this member's applied state; they follow the store across snapshot installs. */
    public WatchHub watchHub() {
        return watchHub;
    }

    /** etcd's capped store: with NOSPACE raised, puts and writing txns fail; deletes and compaction free space. */
    private boolean refusedWhileNoSpace(LogRequest request) {
        if (!alarms.isActive(AlarmType.NOSPACE)) {
            return false;
        }
        return request.hasPut() || request.hasLeaseGrant() || (request.hasTxn() && !SpaceQuota.isReadOnly(request.getTxn()));
    }

    public java.util.List<AlarmMember> activeAlarms() {
        return alarms.active();
    }

    public boolean isAlarmActive(AlarmType type) {
        return alarms.isActive(type);
    }

    MemberDirectory memberDirectory() {
        return members;
    }

    public long snapshotsTaken() {
        return snapshotsTaken.get();
    }

    public long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return snapshots.getLatestSnapshot();
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) {
        return TransactionContext.newBuilder()
                .setStateMachine(this)
                .setClientRequest(request)
                .setLogData(request.getMessage().getContent())
                .build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        if (entry.getIndex() <= store.appliedIndex()) {
            // Ratis replays its log from its last snapshot; the store already holds this entry.
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        List<LogRequest> requests;
        WriteOutcome[] outcomes;
        ProposedEntry own = ownEntries.claim(entry.getStateMachineLogEntry());
        if (own != null) {
            requests = own.requests();
            outcomes = own.outcomes();
        } else {
            requests = parse(entry);
            outcomes = new WriteOutcome[requests.size()];
        }
        try (MvccBatch batch = store.newBatch()) {
            for (int i = 0; i < requests.size(); i++) {
                outcomes[i] = applyOne(batch, requests.get(i));
            }
            batch.commit(entry.getIndex(), entry.getTerm());
        } catch (RuntimeException storageFailure) {
            haltOnStorageFailure("applying index " + entry.getIndex() + "; replicas must not diverge", storageFailure);
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        // The member that proposed the entry takes its outcomes when it applies it (OwnEntries).
        if (own != null) {
            own.applied().complete(null);
        } else if (anyOverQuota(outcomes) && !alarms.isActive(AlarmType.NOSPACE)) {
            overQuota.run();
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    private static boolean anyOverQuota(WriteOutcome[] outcomes) {
        for (WriteOutcome o : outcomes) {
            if (o.error() == EtcdError.NO_SPACE) {
                return true;
            }
        }
        return false;
    }

    /** Replayed entries below what the store already holds must not move the applied index back. */
    @Override
    protected boolean updateLastAppliedTermIndex(long term, long index) {
        TermIndex last = getLastAppliedTermIndex();
        if (last != null && index <= last.getIndex()) {
            return false;
        }
        boolean updated = super.updateLastAppliedTermIndex(term, index);
        appliedIndexWaiters.release(index);
        return updated;
    }

    private static List<LogRequest> parse(LogEntryProto entry) {
        try {
            return LogEntry.parseFrom(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer())
                    .getRequestsList();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt log entry at index " + entry.getIndex(), e);
        }
    }

    private WriteOutcome applyOne(MvccBatch batch, LogRequest request) {
        if (refusedWhileNoSpace(request)) {
            return WriteOutcome.failed(EtcdError.NO_SPACE);
        }
        boolean fits = fitsQuota(request);
        try {
            WriteOutcome applied = WriteOutcome.ok(switch (request.getOpCase()) {
                case PUT -> batch.put(request.getPut());
                case DELETE_RANGE -> batch.deleteRange(request.getDeleteRange());
                case TXN -> batch.txn(request.getTxn());
                case COMPACTION -> batch.compact(request.getCompaction());
                case PUBLISH -> members.publish(batch, request.getPublish());
                case MEMBERSHIP -> members.apply(batch, request.getMembership());
                case ALARM -> alarms.apply(batch, request.getAlarm());
                case LEASE_GRANT -> lessor.grant(batch, request.getLeaseGrant());
                case LEASE_REVOKE -> lessor.revoke(batch, request.getLeaseRevoke());
                case LEASE_CHECKPOINT -> lessor.checkpoint(batch, request.getLeaseCheckpoint());
                case OP_NOT_SET -> throw new IllegalStateException("log request without an operation");
            });
            return fits ? applied : WriteOutcome.failed(EtcdError.NO_SPACE);
        } catch (KeyspaceException e) {
            return WriteOutcome.failed(e.error());
        }
    }

    /**
     * etcd checks the quota again as it applies a put or txn: one that no longer fits is applied all
     * the same (members' sizes differ, their entries must not) and answered NOSPACE.
     */
    private boolean fitsQuota(LogRequest request) {
        return switch (request.getOpCase()) {
            case PUT -> quota.admits(store.dbSize(), request.getPut());
            case TXN -> quota.admits(store.dbSize(), request.getTxn());
            default -> true;
        };
    }

    /**
     * Asked through Ratis' linearizable read path, so it runs once this member (the leader) has
     * confirmed its leadership and applied up to its commit index; answers that applied index.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        if (request.getContent().startsWith(MembershipQueries.PREFIX)) {
            return MembershipQueries.answer(request, members, this::division);
        }
        if (!request.getContent().equals(APPLIED_INDEX_QUERY.getContent())) {
            return answerLeaseQuery(request);
        }
        long applied = getLastAppliedTermIndex().getIndex();
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(
                java.nio.ByteBuffer.allocate(Long.BYTES).putLong(0, applied))));
    }

    private CompletableFuture<Message> answerLeaseQuery(Message request) {
        LeaseQuery q;
        try {
            q = LeaseQuery.parseFrom(request.getContent().asReadOnlyByteBuffer());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(e);
        }
        return lessor.answer(q).thenApply(r -> Message.valueOf(UnsafeByteOperations.unsafeWrap(r.toByteArray())));
    }

    /** Ratis calls this once the new leader has applied every entry of earlier terms, where etcd promotes. */
    @Override
    public void notifyLeaderReady() {
        lessor.promote();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId self, RaftPeerId newLeader) {
        if (!self.getPeerId().equals(newLeader)) {
            lessor.demote();
        }
    }

    @Override
    public void notifyNotLeader(java.util.Collection<TransactionContext> pending) {
        lessor.demote();
    }

    private RaftServer.Division division() throws IOException {
        return getServer().join().getDivision(getGroupId());
    }

    /** Completes when this member has applied the entry at {@code index}. */
    CompletableFuture<Void> awaitApplied(long index) {
        return appliedIndexWaiters.await(index, () -> getLastAppliedTermIndex().getIndex());
    }

    /** Runs on the apply thread between entries, so the checkpoint is exactly the applied state. */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        Path target = snapshots.pathFor(last);
        if (!Files.exists(target)) {
            try {
                store.checkpoint(target);
                snapshots.published(last);
            } catch (RuntimeException e) {
                // Ratis retries a failed snapshot at stop without end; etcd exits when it cannot save one.
                haltOnStorageFailure("taking a snapshot at index " + last.getIndex(), e);
            }
            snapshotsTaken.incrementAndGet();
            LOG.info("snapshot taken at index {} (term {})", last.getIndex(), last.getTerm());
        }
        return last.getIndex();
    }

    private static void haltOnStorageFailure(String doing, Throwable cause) {
        LOG.error("storage failure {}; stopping this member", doing, cause);
        Runtime.getRuntime().halt(2);
    }

    @Override
    public void close() throws IOException {
        lessor.close();
        super.close();
        watchHub.close();
        if (store != null) {
            store.close();
        }
    }
}
