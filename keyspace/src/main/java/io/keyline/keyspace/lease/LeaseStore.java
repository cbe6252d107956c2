package io.keyline.keyspace.lease;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.LeaseCheckpoint;
import io.keyline.api.etcdserverpb.LeaseCheckpointRequest;
import io.keyline.api.etcdserverpb.LeaseCheckpointResponse;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseGrantResponse;
import io.keyline.api.etcdserverpb.LeaseRevokeRequest;
import io.keyline.api.etcdserverpb.LeaseRevokeResponse;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.mvcc.LeaseLookup;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd's lessor without time: the granted leases and which keys are attached to each. Grants, revokes and
 * checkpoints change it only in apply, inside the log entry's {@link MvccBatch}, so the lease records, the
 * deleted keys and the applied index are one RocksDB write. Attachments follow the keyspace's writes
 * ({@link LeaseLookup}): a put with a lease attaches the key (moving it off any other lease), a put
 * without one or a delete detaches it; reopening a store replays them from the stored KeyValues.
 *
 * <p>One writer (the apply thread) changes it; readers on other threads see each lease and each key set
 * whole. {@code this} guards the two attachment maps.
 */
public final class LeaseStore implements LeaseLookup {
    static final String BUCKET = "lease";
    private static final Comparator<ByteString> KEY_ORDER = ByteString.unsignedLexicographicalComparator();

    private final Map<Long, Lease> leases = new ConcurrentHashMap<>();
    private final Map<Long, TreeSet<ByteString>> keysByLease = new HashMap<>();
    private final Map<ByteString, Long> leaseByKey = new HashMap<>();

    /** Forgets everything; call before a store opens, whose restore then replays the attachments. */
    public synchronized void clear() {
        leases.clear();
        keysByLease.clear();
        leaseByKey.clear();
    }

    /** Reads the lease records of an opened store; TTLs below today's minimum are raised, as etcd recovers. */
    public void load(MvccStore store) {
        leases.clear();
        store.forEachInBucket(BUCKET, (key, value) -> {
            Lease l = Lease.decode(value);
            leases.put(l.id(), new Lease(l.id(), Math.max(l.ttl(), LeaseLimits.MIN_TTL_SECONDS), l.remainingTtl()));
        });
    }

    public LeaseGrantResponse grant(MvccBatch batch, LeaseGrantRequest r) {
        if (r.getID() == 0) {
            throw new KeyspaceException(EtcdError.LEASE_NOT_FOUND);
        }
        if (r.getTTL() > LeaseLimits.MAX_TTL_SECONDS) {
            throw new KeyspaceException(EtcdError.LEASE_TTL_TOO_LARGE);
        }
        if (leases.containsKey(r.getID())) {
            throw new KeyspaceException(EtcdError.LEASE_EXISTS);
        }
        Lease lease = new Lease(r.getID(), Math.max(r.getTTL(), LeaseLimits.MIN_TTL_SECONDS), 0);
        batch.putInBucket(BUCKET, Lease.key(lease.id()), lease.encode());
        leases.put(lease.id(), lease);
        return LeaseGrantResponse.newBuilder().setHeader(header(batch)).setID(lease.id()).setTTL(lease.ttl()).build();
    }

    /** Deletes every attached key in key order at one revision (if any exists), then the lease. */
    public LeaseRevokeResponse revoke(MvccBatch batch, LeaseRevokeRequest r) {
        long id = r.getID();
        if (!leases.containsKey(id)) {
            throw new KeyspaceException(EtcdError.LEASE_NOT_FOUND);
        }
        batch.deleteKeys(keys(id));
        batch.deleteFromBucket(BUCKET, Lease.key(id));
        leases.remove(id);
        synchronized (this) {
            TreeSet<ByteString> left = keysByLease.remove(id);
            if (left != null) {
                left.forEach(leaseByKey::remove);
            }
        }
        return LeaseRevokeResponse.newBuilder().setHeader(header(batch)).build();
    }

    /** Records each lease's remaining TTL (0 clears it); leases that no longer exist are skipped. */
    public LeaseCheckpointResponse checkpoint(MvccBatch batch, LeaseCheckpointRequest r) {
        for (LeaseCheckpoint c : r.getCheckpointsList()) {
            Lease lease = leases.get(c.getID());
            if (lease != null) {
                Lease updated = lease.withRemainingTtl(c.getRemainingTTL());
                batch.putInBucket(BUCKET, Lease.key(updated.id()), updated.encode());
                leases.put(updated.id(), updated);
            }
        }
        return LeaseCheckpointResponse.newBuilder().setHeader(header(batch)).build();
    }

    public Optional<Lease> get(long id) {
        return Optional.ofNullable(leases.get(id));
    }

    public List<Lease> all() {
        return new ArrayList<>(leases.values());
    }

    public int size() {
        return leases.size();
    }

    /** The keys attached to a lease, in key order. */
    public synchronized List<ByteString> keys(long id) {
        TreeSet<ByteString> keys = keysByLease.get(id);
        return keys == null ? List.of() : new ArrayList<>(keys);
    }

    @Override
    public boolean exists(long leaseId) {
        return leases.containsKey(leaseId);
    }

    @Override
    public synchronized void keyWritten(ByteString key, long leaseId) {
        Long previous = leaseId == 0 ? leaseByKey.remove(key) : leaseByKey.put(key, leaseId);
        if (previous != null && previous != leaseId) {
            detach(previous, key);
        }
        if (leaseId != 0 && (previous == null || previous != leaseId)) {
            keysByLease.computeIfAbsent(leaseId, id -> new TreeSet<>(KEY_ORDER)).add(key);
        }
    }

    @Override
    public synchronized void keyDeleted(ByteString key) {
        Long previous = leaseByKey.remove(key);
        if (previous != null) {
            detach(previous, key);
        }
    }

    private void detach(long leaseId, ByteString key) {
        TreeSet<ByteString> keys = keysByLease.get(leaseId);
        if (keys != null) {
            keys.remove(key);
            if (keys.isEmpty()) {
                keysByLease.remove(leaseId);
            }
        }
    }

    private static ResponseHeader header(MvccBatch batch) {
        return ResponseHeader.newBuilder().setRevision(batch.currentRevision()).build();
    }
}
