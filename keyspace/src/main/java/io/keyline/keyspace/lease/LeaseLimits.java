package io.keyline.keyspace.lease;

/** etcd's lease constants (lease/lessor.go, etcdserver's minimum TTL rule). */
public final class LeaseLimits {
    /** etcd's MaxLeaseTTL: a grant above it fails with "too large lease TTL". */
    public static final long MAX_TTL_SECONDS = 9_000_000_000L;
    /** etcd's defaults: --heartbeat-interval 100 ms, --election-timeout 1000 ms. */
    public static final long HEARTBEAT_MS = 100;
    public static final long ELECTION_TIMEOUT_MS = 1000;
    /** A lease shorter than this is raised to it, so that it cannot expire while a leader is elected. */
    public static final long MIN_TTL_SECONDS = minTtlSeconds(HEARTBEAT_MS, ELECTION_TIMEOUT_MS);
    /** etcd's leaseRevokeRate: at most this many expired leases are revoked per second. */
    public static final int REVOKE_RATE_PER_SECOND = 1000;
    /** An expired lease whose revoke has not applied after this long is proposed again. */
    public static final long EXPIRED_RETRY_MS = 3000;
    /** etcd's default --experimental-lease-checkpoint-interval. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 5 * 60 * 1000;
    /** etcd's maxLeaseCheckpointBatchSize: checkpoints per log entry. */
    public static final int MAX_CHECKPOINT_BATCH = 1000;

    private LeaseLimits() {
    }

    /** etcd: one and a half election timeouts, in whole heartbeats, rounded up to whole seconds. */
    static long minTtlSeconds(long heartbeatMs, long electionTimeoutMs) {
        long electionTicks = electionTimeoutMs / heartbeatMs;
        long minTtlMs = (3 * electionTicks / 2) * heartbeatMs;
        return (minTtlMs + 999) / 1000;
    }
}
