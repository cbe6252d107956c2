package io.keyline.keyspace.lease;

import io.keyline.api.etcdserverpb.LeaseCheckpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Lease time, as etcd's primary lessor keeps it: only the leader has deadlines; everywhere else a lease
 * lives forever until a revoke applies. {@link #promote} (a new leader, once it has applied every entry
 * of earlier terms) gives each lease now + extension + its remaining TTL, and spreads pile-ups so that no
 * more than three quarters of the revoke rate fall due in any second; {@link #demote} forgets all time.
 *
 * <p>Deadlines sit in a heap with lazy deletion: an entry is live only if its sequence number is the
 * lease's latest. An expired lease handed out by {@link #expired} is due again after
 * {@link LeaseLimits#EXPIRED_RETRY_MS} in case its revoke got lost. All methods synchronize on this.
 */
public final class LeaseClock {
    private static final long SECOND = 1_000_000_000L;

    private record Due(long at, long id, long seq) {
    }

    private final LongSupplier nanoTime;
    /** 0: checkpointing is off. */
    private final long checkpointIntervalNanos;
    private final Map<Long, Long> deadlines = new HashMap<>();
    private final Map<Long, Long> expirySeq = new HashMap<>();
    private final PriorityQueue<Due> expiries = new PriorityQueue<>(Comparator.comparingLong(Due::at));
    private final PriorityQueue<Due> checkpoints = new PriorityQueue<>(Comparator.comparingLong(Due::at));
    private long seq;
    private boolean primary;

    public LeaseClock(LongSupplier nanoTime, long checkpointIntervalNanos) {
        this.nanoTime = nanoTime;
        this.checkpointIntervalNanos = checkpointIntervalNanos;
    }

    public synchronized boolean isPrimary() {
        return primary;
    }

    public boolean checkpointing() {
        return checkpointIntervalNanos > 0;
    }

    public synchronized void promote(Collection<Lease> leases, long extendNanos) {
        clear();
        primary = true;
        long now = nanoTime.getAsLong();
        List<Lease> byExpiry = new ArrayList<>(leases);
        byExpiry.sort(Comparator.comparingLong(Lease::ttlForExpiry));
        int target = 3 * LeaseLimits.REVOKE_RATE_PER_SECOND / 4;
        long baseWindow = byExpiry.isEmpty() ? 0 : byExpiry.get(0).ttlForExpiry() * SECOND;
        long nextWindow = baseWindow + SECOND;
        int expires = 0;
        for (Lease l : byExpiry) {
            long remaining = l.ttlForExpiry() * SECOND;
            long delay = 0;
            if (byExpiry.size() >= LeaseLimits.REVOKE_RATE_PER_SECOND) {
                if (remaining > nextWindow) {
                    baseWindow = remaining;
                    nextWindow = baseWindow + SECOND;
                    expires = 1;
                } else if (++expires > target) {
                    // If leases are extended by n seconds, those n seconds ahead of the window gain only one.
                    delay = (long) ((double) SECOND * expires / target) - (remaining - baseWindow);
                    nextWindow = baseWindow + delay;
                }
            }
            setDeadline(l.id(), now + extendNanos + delay + remaining);
            scheduleCheckpoint(l, now);
        }
    }

    public synchronized void demote() {
        primary = false;
        clear();
    }

    /** A lease was granted (applied): on the leader its time starts now. */
    public synchronized void granted(Lease l) {
        if (primary) {
            long now = nanoTime.getAsLong();
            setDeadline(l.id(), now + l.ttl() * SECOND);
            scheduleCheckpoint(l, now);
        }
    }

    public synchronized void revoked(long id) {
        deadlines.remove(id);
        expirySeq.remove(id);
    }

    /** A checkpoint of the lease applied: on the leader, the next one is scheduled. */
    public synchronized void checkpointed(Lease l) {
        if (primary && deadlines.containsKey(l.id())) {
            scheduleCheckpoint(l, nanoTime.getAsLong());
        }
    }

    /** What a renewal finds: the TTL it granted, or why it granted none. */
    public enum Renewal { RENEWED, NOT_PRIMARY, NOT_FOUND, EXPIRED }

    /** etcd's Renew on the primary: a live lease gets its full TTL again; an expired one waits for its revoke. */
    public synchronized Renewal renew(Lease l) {
        if (!primary) {
            return Renewal.NOT_PRIMARY;
        }
        Long deadline = deadlines.get(l.id());
        if (deadline == null) {
            return Renewal.NOT_FOUND;
        }
        long now = nanoTime.getAsLong();
        if (deadline - now <= 0) {
            return Renewal.EXPIRED;
        }
        setDeadline(l.id(), now + l.ttl() * SECOND);
        return Renewal.RENEWED;
    }

    /** Nanoseconds until the lease expires; Long.MAX_VALUE where this member keeps no time for it. */
    public synchronized long remainingNanos(long id) {
        Long deadline = deadlines.get(id);
        return deadline == null ? Long.MAX_VALUE : deadline - nanoTime.getAsLong();
    }

    /** Up to {@code limit} expired leases to revoke, soonest first; each is offered again after the retry interval. */
    public synchronized List<Long> expired(int limit) {
        List<Long> out = new ArrayList<>();
        if (!primary) {
            return out;
        }
        long now = nanoTime.getAsLong();
        while (out.size() < limit && !expiries.isEmpty()) {
            Due d = expiries.peek();
            if (!Long.valueOf(d.seq()).equals(expirySeq.get(d.id()))) {
                expiries.poll();
                continue;
            }
            if (d.at() - now > 0) {
                break;
            }
            expiries.poll();
            out.add(d.id());
            pushExpiry(d.id(), now + LeaseLimits.EXPIRED_RETRY_MS * 1_000_000L);
        }
        return out;
    }

    /** etcd's due checkpoints: each live lease's remaining TTL rounded up, if below its TTL. */
    public synchronized List<LeaseCheckpoint> dueCheckpoints(int limit, LongFunction<Lease> lookup) {
        List<LeaseCheckpoint> out = new ArrayList<>();
        if (!primary) {
            return out;
        }
        long now = nanoTime.getAsLong();
        while (out.size() < limit && !checkpoints.isEmpty() && checkpoints.peek().at() - now <= 0) {
            long id = checkpoints.poll().id();
            Lease l = lookup.apply(id);
            Long deadline = deadlines.get(id);
            if (l == null || deadline == null || deadline - now <= 0) {
                continue;
            }
            long remaining = (deadline - now + SECOND - 1) / SECOND;
            if (remaining < l.ttl()) {
                out.add(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(remaining).build());
            }
        }
        return out;
    }

    private void scheduleCheckpoint(Lease l, long now) {
        if (checkpointing() && l.ttlForExpiry() * SECOND > checkpointIntervalNanos) {
            checkpoints.add(new Due(now + checkpointIntervalNanos, l.id(), 0));
        }
    }

    private void setDeadline(long id, long at) {
        deadlines.put(id, at);
        pushExpiry(id, at);
    }

    private void pushExpiry(long id, long at) {
        long s = ++seq;
        expirySeq.put(id, s);
        expiries.add(new Due(at, id, s));
    }

    private void clear() {
        deadlines.clear();
        expirySeq.clear();
        expiries.clear();
        checkpoints.clear();
    }
}
