package io.keyline.keyspace.mvcc;

/**
 * The seam to the lease store: a put naming a lease fails with LEASE_NOT_FOUND unless the lease exists.
 * Until leases are built, {@link #NONE} says no lease exists, as on an etcd server with no granted leases.
 */
@FunctionalInterface
public interface LeaseLookup {
    LeaseLookup NONE = id -> false;

    boolean exists(long leaseId);
}
