package io.keyline.gateway.config;

import io.keyline.gateway.cluster.Member;
import io.keyline.gateway.cluster.MemberIds;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A member's validated settings. Every problem with etcd's flags is an
 * {@link IllegalArgumentException} whose message is the one line the launcher prints.
 */
public record NodeConfig(String name, Path dataDir, List<URI> listenClientUrls, List<String> advertiseClientUrls,
        URI listenPeerUrl, List<Member> initialMembers, long memberId, long clusterId, String logLevel,
        long snapshotCount, long snapshotCatchupEntries, long maxRequestBytes, int maxTxnOps, long quotaBackendBytes,
        Duration watchProgressNotifyInterval, long leaseCheckpointIntervalMs, boolean joinExisting) {

    /** etcd's default backend quota when --quota-backend-bytes is 0: 2 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 2L << 30;
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "panic", "fatal");

    public static NodeConfig from(EtcdFlags f) {
        if (f.name == null || f.name.isEmpty()) {
            f.name = "default";
        }
        Path dataDir = Path.of(f.dataDir == null || f.dataDir.isEmpty() ? f.name + ".etcd" : f.dataDir);
        List<URI> listenClient = urls("--listen-client-urls", f.listenClientUrls);
        List<String> advertiseClient = urls("--advertise-client-urls", f.advertiseClientUrls).stream()
                .map(URI::toString).toList();
        List<URI> listenPeer = urls("--listen-peer-urls", f.listenPeerUrls);
        List<String> advertisePeer = urls("--initial-advertise-peer-urls", f.initialAdvertisePeerUrls).stream()
                .map(URI::toString).toList();
        String cluster = f.initialCluster == null || f.initialCluster.isEmpty()
                ? String.join(",", advertisePeer.stream().map(u -> f.name + "=" + u).toList())
                : f.initialCluster;
        if (!f.initialClusterState.equals("new") && !f.initialClusterState.equals("existing")) {
            throw new IllegalArgumentException("invalid value \"" + f.initialClusterState
                    + "\" for flag -initial-cluster-state: must be \"new\" or \"existing\"");
        }
        if (!LOG_LEVELS.contains(f.logLevel)) {
            throw new IllegalArgumentException("unknown log level \"" + f.logLevel + "\"");
        }
        positive("--snapshot-count", f.snapshotCount);
        positive("--max-request-bytes", f.maxRequestBytes);
        positive("--max-txn-ops", f.maxTxnOps);
        if (f.snapshotCatchupEntries < 0 || f.quotaBackendBytes < 0) {
            throw new IllegalArgumentException("--experimental-snapshot-catchup-entries and --quota-backend-bytes must not be negative");
        }

        Map<String, List<String>> byName = parseInitialCluster(cluster);
        List<String> ownPeerUrls = byName.get(f.name);
        if (ownPeerUrls == null) {
            throw new IllegalArgumentException("couldn't find local name \"" + f.name
                    + "\" in the initial cluster configuration");
        }
        if (!ownPeerUrls.stream().sorted().toList().equals(advertisePeer.stream().sorted().toList())) {
            throw new IllegalArgumentException("--initial-cluster has " + f.name + "=" + String.join(",", ownPeerUrls)
                    + " but missing from --initial-advertise-peer-urls=" + String.join(",", advertisePeer));
        }
        List<Member> members = new ArrayList<>();
        long self = 0;
        for (Map.Entry<String, List<String>> e : byName.entrySet()) {
            long id = MemberIds.memberId(e.getValue(), f.initialClusterToken);
            boolean isSelf = e.getKey().equals(f.name);
            members.add(new Member(id, e.getKey(), e.getValue(), isSelf ? advertiseClient : List.of(), false));
            if (isSelf) {
                self = id;
            }
        }
        long clusterId = MemberIds.clusterId(members.stream().map(Member::id).toList());
        long quota = f.quotaBackendBytes == 0 ? DEFAULT_QUOTA_BYTES : f.quotaBackendBytes;
        Duration progressInterval = GoDurations.parse("--experimental-watch-progress-notify-interval",
                f.watchProgressNotifyInterval);
        positive("--experimental-watch-progress-notify-interval", progressInterval.toNanos());
        long leaseCheckpointMs = f.enableLeaseCheckpoint ? GoDurations.parse(
                "--experimental-lease-checkpoint-interval", f.leaseCheckpointInterval).toMillis() : 0;
        if (f.enableLeaseCheckpoint) {
            positive("--experimental-lease-checkpoint-interval", leaseCheckpointMs);
        }
        return new NodeConfig(f.name, dataDir, listenClient, advertiseClient, listenPeer.get(0), List.copyOf(members),
                self, clusterId, f.logLevel, f.snapshotCount, f.snapshotCatchupEntries, f.maxRequestBytes, f.maxTxnOps,
                quota, progressInterval, leaseCheckpointMs, f.initialClusterState.equals("existing"));
    }

    private static Map<String, List<String>> parseInitialCluster(String cluster) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String part : cluster.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invalid --initial-cluster entry \"" + part + "\": expected name=URL");
            }
            String url = urls("--initial-cluster", part.substring(eq + 1)).get(0).toString();
            byName.computeIfAbsent(part.substring(0, eq), k -> new ArrayList<>()).add(url);
        }
        return byName;
    }

    private static List<URI> urls(String flag, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        return Arrays.stream(value.split(",")).map(String::trim).map(s -> {
            URI u;
            try {
                u = URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid URL \"" + s + "\" for " + flag);
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException("invalid URL \"" + s + "\" for " + flag
                        + " (expected http://host:port or https://host:port)");
            }
            return u;
        }).toList();
    }

    private static void positive(String flag, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be positive, got " + value);
        }
    }

    public Path raftDir() {
        return dataDir.resolve("member").resolve("raft");
    }

    /** Snapshots being streamed to clients are built here; nothing in it outlives its stream. */
    public Path scratchDir() {
        return dataDir.resolve("member").resolve("tmp");
    }

    public Path kvDir() {
        return dataDir.resolve("member").resolve("kv");
    }

    /** Resolves "localhost" to the loopback address, as a listener binding it would. */
    public static String bindHost(URI url) {
        return "localhost".equals(url.getHost()) ? "127.0.0.1" : url.getHost();
    }
}
