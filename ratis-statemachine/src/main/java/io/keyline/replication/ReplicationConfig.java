package io.keyline.replication;

import java.nio.file.Path;
import java.util.List;

/**
 * What replication needs from a member's configuration (etcd's flags, mapped by the node).
 *
 * @param self this member's id (etcd's uint64 member id)
 * @param members every initial member: id and peer host:port
 * @param clusterId etcd's uint64 cluster id; the Raft group id is derived from it
 * @param snapshotCount applied entries between snapshots (--snapshot-count)
 * @param catchupEntries log entries kept after a snapshot (--experimental-snapshot-catchup-entries)
 * @param maxRequestBytes largest proposal accepted (--max-request-bytes)
 * @param leaseCheckpointIntervalMs how often the leader checkpoints remaining lease TTLs; 0 = never
 *        (--experimental-enable-lease-checkpoint, --experimental-lease-checkpoint-interval)
 * @param join this member was added to a running cluster ({@code --initial-cluster-state existing}):
 *     it starts outside the Raft configuration and waits for the leader to bring it in
 * @param quotaBackendBytes the store size past which writes fail with NOSPACE (--quota-backend-bytes, resolved)
 */
public record ReplicationConfig(long self, List<Peer> members, long clusterId, Path raftDir, Path kvDir,
        long snapshotCount, long catchupEntries, long maxRequestBytes, long leaseCheckpointIntervalMs, boolean join,
        long quotaBackendBytes) {

    /** A member without lease checkpoints or a space quota, that starts in the initial cluster. */
    public ReplicationConfig(long self, List<Peer> members, long clusterId, Path raftDir, Path kvDir,
            long snapshotCount, long catchupEntries, long maxRequestBytes) {
        this(self, members, clusterId, raftDir, kvDir, snapshotCount, catchupEntries, maxRequestBytes, 0, false,
                Long.MAX_VALUE);
    }

    public record Peer(long id, String host, int port) {
        String address() {
            return host + ":" + port;
        }
    }

    Peer selfPeer() {
        return members.stream().filter(p -> p.id() == self).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("this member is not in the initial cluster"));
    }
}
