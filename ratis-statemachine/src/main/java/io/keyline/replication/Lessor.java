package io.keyline.replication;

import io.keyline.api.etcdserverpb.LeaseCheckpoint;
import io.keyline.api.etcdserverpb.LeaseCheckpointRequest;
import io.keyline.api.etcdserverpb.LeaseCheckpointResponse;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseGrantResponse;
import io.keyline.api.etcdserverpb.LeaseRevokeRequest;
import io.keyline.api.etcdserverpb.LeaseRevokeResponse;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.lease.Lease;
import io.keyline.keyspace.lease.LeaseClock;
import io.keyline.keyspace.lease.LeaseLimits;
import io.keyline.keyspace.lease.LeaseStore;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.replication.proto.LeaseQuery;
import io.keyline.replication.proto.LeaseQueryResult;
import io.keyline.replication.proto.LogRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's lessor on one member: the replicated {@link LeaseStore}, changed only by applied entries, and the
 * {@link LeaseClock}, which keeps time only while this member leads. The leader's loop (etcd's runLoop,
 * every 500 ms) proposes a revoke for each expired lease, at most half the revoke rate per round, and the
 * due checkpoints; renewals and time-to-live are answered from the clock and never logged.
 */
final class Lessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lessor.class);
    static final long LOOP_INTERVAL_MS = 500;
    /** etcd promotes its lessor with the election timeout as extension. */
    static final long PROMOTE_EXTENSION_MS = LeaseLimits.ELECTION_TIMEOUT_MS;

    private final LeaseStore store = new LeaseStore();
    private final LeaseClock clock;
    /** Renewals of expired leases wait here for the revoke (etcd's revokec), or fail when demoted. */
    private final Map<Long, CompletableFuture<LeaseQueryResult>> revokeWaiters = new ConcurrentHashMap<>();
    private ScheduledExecutorService loop;
    private Function<LogRequest, CompletableFuture<WriteOutcome>> proposer;

    Lessor(long checkpointIntervalMs) {
        this.clock = new LeaseClock(System::nanoTime, TimeUnit.MILLISECONDS.toNanos(checkpointIntervalMs));
    }

    LeaseStore store() {
        return store;
    }

    /** etcd's Leases(): sorted by remaining time (on followers every lease lives forever; then by id). */
    List<Lease> byExpiry() {
        List<Lease> all = store.all();
        all.sort(java.util.Comparator.comparingLong((Lease l) -> clock.remainingNanos(l.id())).thenComparingLong(Lease::id));
        return all;
    }

    void start(Function<LogRequest, CompletableFuture<WriteOutcome>> proposer) {
        this.proposer = proposer;
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keyline-lessor");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::tick, LOOP_INTERVAL_MS, LOOP_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    LeaseGrantResponse grant(MvccBatch batch, LeaseGrantRequest r) {
        LeaseGrantResponse granted = store.grant(batch, r);
        clock.granted(store.get(granted.getID()).orElseThrow());
        return granted;
    }

    LeaseRevokeResponse revoke(MvccBatch batch, LeaseRevokeRequest r) {
        LeaseRevokeResponse revoked = store.revoke(batch, r);
        clock.revoked(r.getID());
        CompletableFuture<LeaseQueryResult> waiter = revokeWaiters.remove(r.getID());
        if (waiter != null) {
            waiter.complete(error(EtcdError.LEASE_NOT_FOUND));
        }
        return revoked;
    }

    LeaseCheckpointResponse checkpoint(MvccBatch batch, LeaseCheckpointRequest r) {
        LeaseCheckpointResponse done = store.checkpoint(batch, r);
        for (LeaseCheckpoint c : r.getCheckpointsList()) {
            store.get(c.getID()).ifPresent(clock::checkpointed);
        }
        return done;
    }

    /** This member leads and has applied every entry of earlier terms: etcd's Promote. */
    void promote() {
        clock.promote(store.all(), TimeUnit.MILLISECONDS.toNanos(PROMOTE_EXTENSION_MS));
        LOG.info("primary lessor: {} leases, each extended by {} ms", store.size(), PROMOTE_EXTENSION_MS);
    }

    void demote() {
        if (clock.isPrimary()) {
            clock.demote();
            LOG.info("no longer the primary lessor");
        }
        revokeWaiters.values().forEach(w -> w.complete(notPrimary()));
        revokeWaiters.clear();
    }

    /** Answers a lease query on this member: only the primary lessor can. */
    CompletableFuture<LeaseQueryResult> answer(LeaseQuery q) {
        return switch (q.getQueryCase()) {
            case RENEW -> renew(q.getRenew());
            case TIME_TO_LIVE -> CompletableFuture.completedFuture(timeToLive(q.getTimeToLive()));
            case QUERY_NOT_SET -> throw new IllegalArgumentException("lease query without a question");
        };
    }

    private CompletableFuture<LeaseQueryResult> renew(long id) {
        if (!clock.isPrimary()) {
            return CompletableFuture.completedFuture(notPrimary());
        }
        Lease lease = store.get(id).orElse(null);
        if (lease == null) {
            return CompletableFuture.completedFuture(error(EtcdError.LEASE_NOT_FOUND));
        }
        return switch (clock.renew(lease)) {
            case RENEWED -> {
                if (clock.checkpointing() && lease.remainingTtl() > 0) {
                    // etcd clears the checkpoint through the log, so a new leader gives the full TTL again
                    propose(LogRequest.newBuilder().setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder()
                            .addCheckpoints(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(0))).build());
                }
                yield CompletableFuture.completedFuture(LeaseQueryResult.newBuilder().setRenewedTtl(lease.ttl()).build());
            }
            case NOT_PRIMARY -> CompletableFuture.completedFuture(notPrimary());
            case NOT_FOUND -> CompletableFuture.completedFuture(error(EtcdError.LEASE_NOT_FOUND));
            case EXPIRED -> awaitRevoke(id);
        };
    }

    private CompletableFuture<LeaseQueryResult> awaitRevoke(long id) {
        CompletableFuture<LeaseQueryResult> waiter = revokeWaiters.computeIfAbsent(id, k -> new CompletableFuture<>());
        if (!store.exists(id)) {
            revokeWaiters.remove(id, waiter);
            waiter.complete(error(EtcdError.LEASE_NOT_FOUND));
        } else if (!clock.isPrimary()) {
            revokeWaiters.remove(id, waiter);
            waiter.complete(notPrimary());
        }
        return waiter;
    }

    /** etcd's LeaseTimeToLive on the leader: whole seconds left (truncated), the granted TTL, the keys. */
    private LeaseQueryResult timeToLive(LeaseTimeToLiveRequest r) {
        if (!clock.isPrimary()) {
            return notPrimary();
        }
        Lease lease = store.get(r.getID()).orElse(null);
        if (lease == null) {
            return error(EtcdError.LEASE_NOT_FOUND);
        }
        long remaining = clock.remainingNanos(lease.id());
        LeaseTimeToLiveResponse.Builder resp = LeaseTimeToLiveResponse.newBuilder()
                .setHeader(ResponseHeader.getDefaultInstance())
                .setID(lease.id())
                .setTTL(remaining == Long.MAX_VALUE ? Long.MAX_VALUE / 1_000_000_000L : remaining / 1_000_000_000L)
                .setGrantedTTL(lease.ttl());
        if (r.getKeys()) {
            resp.addAllKeys(store.keys(lease.id()));
        }
        return LeaseQueryResult.newBuilder().setTimeToLive(resp).build();
    }

    private void tick() {
        try {
            List<Long> expired = clock.expired(LeaseLimits.REVOKE_RATE_PER_SECOND / 2);
            for (long id : expired) {
                propose(LogRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)).build());
            }
            List<LeaseCheckpoint> due;
            while (!(due = clock.dueCheckpoints(LeaseLimits.MAX_CHECKPOINT_BATCH, id -> store.get(id).orElse(null)))
                    .isEmpty()) {
                propose(LogRequest.newBuilder().setLeaseCheckpoint(
                        LeaseCheckpointRequest.newBuilder().addAllCheckpoints(due)).build());
            }
        } catch (RuntimeException e) {
            LOG.warn("lease expiry round failed; retrying next round", e);
        }
    }

    /** Expiry and checkpoints are best effort: a lost proposal is retried by the next rounds. */
    private void propose(LogRequest request) {
        if (proposer != null) {
            proposer.apply(request);
        }
    }

    private static LeaseQueryResult error(EtcdError e) {
        return LeaseQueryResult.newBuilder().setError(e.name()).build();
    }

    private static LeaseQueryResult notPrimary() {
        return LeaseQueryResult.newBuilder().setNotPrimary(true).build();
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
        }
        demote();
    }
}
