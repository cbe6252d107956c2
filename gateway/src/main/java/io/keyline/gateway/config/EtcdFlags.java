package io.keyline.gateway.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd's server flags with etcd's names and defaults; each also reads its {@code ETCD_*}
 * environment variable, as etcd does. {@link NodeConfig#from} turns them into typed settings.
 */
@Command(name = "keyline", mixinStandardHelpOptions = false,
        description = "Keyline: an etcd v3 compatible server on Multi-Raft.")
public final class EtcdFlags {
    @Option(names = "--name", defaultValue = "${env:ETCD_NAME:-default}",
            description = "Human-readable name for this member.")
    String name;

    @Option(names = "--data-dir", defaultValue = "${env:ETCD_DATA_DIR}",
            description = "Path to the data directory (default: ${name}.etcd).")
    String dataDir;

    @Option(names = "--listen-client-urls", defaultValue = "${env:ETCD_LISTEN_CLIENT_URLS:-http://localhost:2379}",
            description = "List of URLs to listen on for client traffic.")
    String listenClientUrls;

    @Option(names = "--advertise-client-urls",
            defaultValue = "${env:ETCD_ADVERTISE_CLIENT_URLS:-http://localhost:2379}",
            description = "List of this member's client URLs to advertise to the public.")
    String advertiseClientUrls;

    @Option(names = "--listen-peer-urls", defaultValue = "${env:ETCD_LISTEN_PEER_URLS:-http://localhost:2380}",
            description = "List of URLs to listen on for peer traffic.")
    String listenPeerUrls;

    @Option(names = "--initial-advertise-peer-urls",
            defaultValue = "${env:ETCD_INITIAL_ADVERTISE_PEER_URLS:-http://localhost:2380}",
            description = "List of this member's peer URLs to advertise to the rest of the cluster.")
    String initialAdvertisePeerUrls;

    @Option(names = "--initial-cluster", defaultValue = "${env:ETCD_INITIAL_CLUSTER}",
            description = "Initial cluster configuration for bootstrapping (default: ${name}=<initial-advertise-peer-urls>).")
    String initialCluster;

    @Option(names = "--initial-cluster-state", defaultValue = "${env:ETCD_INITIAL_CLUSTER_STATE:-new}",
            description = "Initial cluster state ('new' or 'existing').")
    String initialClusterState;

    @Option(names = "--initial-cluster-token", defaultValue = "${env:ETCD_INITIAL_CLUSTER_TOKEN:-etcd-cluster}",
            description = "Initial cluster token for the etcd cluster during bootstrap.")
    String initialClusterToken;

    @Option(names = "--snapshot-count", defaultValue = "${env:ETCD_SNAPSHOT_COUNT:-100000}",
            description = "Number of committed transactions to trigger a snapshot to disk.")
    long snapshotCount;

    @Option(names = "--experimental-snapshot-catchup-entries",
            defaultValue = "${env:ETCD_EXPERIMENTAL_SNAPSHOT_CATCHUP_ENTRIES:-5000}",
            description = "Number of entries for a slow follower to catch up after compacting the raft storage entries.")
    long snapshotCatchupEntries;

    @Option(names = "--max-request-bytes", defaultValue = "${env:ETCD_MAX_REQUEST_BYTES:-1572864}",
            description = "Maximum client request size in bytes the server will accept.")
    long maxRequestBytes;

    @Option(names = "--max-txn-ops", defaultValue = "${env:ETCD_MAX_TXN_OPS:-128}",
            description = "Maximum number of operations permitted in a transaction.")
    int maxTxnOps;

    @Option(names = "--quota-backend-bytes", defaultValue = "${env:ETCD_QUOTA_BACKEND_BYTES:-0}",
            description = "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota).")
    long quotaBackendBytes;

    @Option(names = "--experimental-enable-lease-checkpoint", arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:ETCD_EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT:-false}",
            description = "Enable to persist lease remaining TTL to prevent indefinite auto-renewal of long lived leases.")
    boolean enableLeaseCheckpoint;

    @Option(names = "--experimental-lease-checkpoint-interval",
            defaultValue = "${env:ETCD_EXPERIMENTAL_LEASE_CHECKPOINT_INTERVAL:-5m0s}",
            description = "Duration of periodic checkpoints of the remaining lease TTLs (e.g. 5m0s, 30s).")
    String leaseCheckpointInterval;

    @Option(names = "--experimental-watch-progress-notify-interval",
            defaultValue = "${env:ETCD_EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL:-10m}",
            description = "Duration of periodic watch progress notifications.")
    String watchProgressNotifyInterval;

    @Option(names = "--log-level", defaultValue = "${env:ETCD_LOG_LEVEL:-info}",
            description = "Configures log level. Only supports debug, info, warn, error, panic, or fatal.")
    String logLevel;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
