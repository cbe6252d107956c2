package io.keyline.gateway.snapshot;

import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.keyspace.snapshot.SnapshotArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyline snapshot restore FILE}: builds a new member's data directory from a file that
 * Maintenance.Snapshot streamed, as etcdutl does. The store keeps its revisions; the Raft log and
 * membership start afresh from the flags when the member first starts, so its flags must match.
 */
@Command(name = "restore", description = "Restores a Keyline member's data directory from a snapshot file.")
public final class SnapshotRestoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file (from etcdctl snapshot save).")
    Path file;

    @Option(names = "--name", defaultValue = "default", description = "Human-readable name for this member.")
    String name;

    @Option(names = "--data-dir", description = "Path to the data directory (default: ${name}.etcd).")
    String dataDir;

    @Option(names = "--initial-cluster", description = "Initial cluster configuration, used when the member starts.")
    String initialCluster;

    @Option(names = "--initial-cluster-token", defaultValue = "etcd-cluster",
            description = "Initial cluster token, used when the member starts.")
    String initialClusterToken;

    @Option(names = "--initial-advertise-peer-urls", defaultValue = "http://localhost:2380",
            description = "This member's peer URLs, used when the member starts.")
    String initialAdvertisePeerUrls;

    @Override
    public Integer call() throws IOException {
        Path dir = Path.of(dataDir == null ? name + ".etcd" : dataDir);
        if (Files.exists(dir)) {
            throw new IllegalArgumentException("data-dir \"" + dir + "\" exists");
        }
        Path kvDir = dir.resolve("member").resolve("kv");
        try {
            SnapshotArchive.restore(file, kvDir);
            try (MvccStore store = MvccStore.open(kvDir)) {
                store.forgetReplicationState();
                System.err.println("restored snapshot " + file + " to " + dir + " at revision "
                        + store.currentRevision() + "; start the member with the same --name, --initial-cluster,"
                        + " --initial-cluster-token and --initial-advertise-peer-urls");
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
        return 0;
    }

    private static void deleteQuietly(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
