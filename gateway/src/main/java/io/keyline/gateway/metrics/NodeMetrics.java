package io.keyline.gateway.metrics;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import io.keyline.replication.RaftNode;
import java.util.Map;

/**
 * The member's metrics, under etcd's names where etcd has one, rendered in Prometheus' text
 * format for {@code /metrics}.
 */
public final class NodeMetrics {
    private final MetricRegistry registry = new MetricRegistry();

    public NodeMetrics(RaftNode raft) {
        gauge("etcd_server_has_leader", () -> raft.hasLeader() ? 1 : 0);
        gauge("etcd_server_is_leader", () -> raft.isLeader() ? 1 : 0);
        gauge("etcd_server_proposals_committed_total", raft::commitIndex);
        gauge("etcd_server_proposals_applied_total", raft::appliedIndex);
        gauge("etcd_mvcc_db_total_size_in_bytes", () -> raft.store().dbSize());
        gauge("etcd_mvcc_db_total_size_in_use_in_bytes", () -> raft.store().dbSizeInUse());
        gauge("etcd_debugging_mvcc_current_revision", () -> raft.store().currentRevision());
        gauge("etcd_debugging_mvcc_compact_revision", () -> raft.store().compactRevision());
        gauge("keyline_snapshots_taken_total", () -> raft.stateMachine().snapshotsTaken());
        gauge("keyline_snapshots_installed_total", () -> raft.stateMachine().snapshotsInstalled());
        gauge("process_resident_memory_bytes", ProcessMemory::residentBytes);
        gauge("process_virtual_memory_bytes", ProcessMemory::virtualBytes);
        gauge("etcd_debugging_mvcc_watcher_total", () -> {
            var counts = raft.stateMachine().watchHub().counts();
            return counts.synced() + counts.unsynced();
        });
        gauge("etcd_debugging_mvcc_slow_watcher_total", () -> raft.stateMachine().watchHub().counts().unsynced());
        gauge("keyline_jvm_heap_used_bytes", () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        gauge("keyline_snapshots_sent_total", raft::snapshotsSent);
        gauge("keyline_raft_voters", raft::raftVoters);
    }

    private void gauge(String name, Gauge<Number> gauge) {
        registry.register(name, gauge);
    }

    public MetricRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition: one untyped sample per gauge or counter. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Metric> e : registry.getMetrics().entrySet()) {
            Object value;
            if (e.getValue() instanceof Gauge<?> g) {
                try {
                    value = g.getValue();
                } catch (RuntimeException unavailable) {
                    continue;
                }
            } else if (e.getValue() instanceof Counting c) {
                value = c.getCount();
            } else {
                continue;
            }
            out.append("# TYPE ").append(e.getKey()).append(e.getKey().endsWith("_total") ? " counter\n" : " gauge\n");
            out.append(e.getKey()).append(' ').append(value).append('\n');
        }
        return out.toString();
    }
}
