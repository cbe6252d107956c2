package io.keyline.replication;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Raft snapshots as RocksDB checkpoints: each is a directory {@code snapshot.TERM_INDEX} under
 * the state machine dir, holding the files of the key-value store as of that applied index.
 */
final class CheckpointSnapshots implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

    private volatile File smDir;
    private volatile FileListSnapshotInfo latest;

    @Override
    public void init(RaftStorage storage) throws IOException {
        smDir = storage.getStorageDir().getStateMachineDir();
        reload();
    }

    /** Rescans the directory: Ratis replaces it wholesale when it installs a leader's snapshot. */
    void reload() throws IOException {
        Files.createDirectories(smDir.toPath());
        latest = scanLatest();
    }

    /** Where a checkpoint for {@code termIndex} goes; the caller creates it, then calls {@link #published}. */
    Path pathFor(TermIndex termIndex) {
        return smDir.toPath().resolve("snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex());
    }

    void published(TermIndex termIndex) {
        latest = describe(pathFor(termIndex), termIndex);
    }

    /** Makes {@code target} a copy of a checkpoint: table files are linked (RocksDB never rewrites them), the rest copied. */
    void linkInto(TermIndex termIndex, Path target) throws IOException {
        Path source = pathFor(termIndex);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = target.resolve(source.relativize(f).toString());
                Files.createDirectories(to.getParent());
                if (f.getFileName().toString().endsWith(".sst")) {
                    Files.createLink(to, f);
                } else {
                    Files.copy(f, to);
                }
            }
        }
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    @Override
    public void format() {
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = Math.max(1, policy.getNumSnapshotsRetained());
        List<Path> all = snapshotDirs();
        all.sort(Comparator.comparingLong(CheckpointSnapshots::indexOf).reversed());
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            deleteTree(old);
        }
    }

    @Override
    public File getSnapshotDir() {
        return smDir;
    }

    private FileListSnapshotInfo scanLatest() throws IOException {
        return snapshotDirs().stream()
                .max(Comparator.comparingLong(CheckpointSnapshots::indexOf))
                .map(p -> {
                    Matcher m = NAME.matcher(p.getFileName().toString());
                    m.matches();
                    return describe(p, TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                })
                .orElse(null);
    }

    private List<Path> snapshotDirs() throws IOException {
        try (Stream<Path> s = Files.list(smDir.toPath())) {
            return new ArrayList<>(s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).toList());
        }
    }

    private static long indexOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    private static FileListSnapshotInfo describe(Path dir, TermIndex termIndex) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<FileInfo> infos = files.filter(Files::isRegularFile).map(f -> new FileInfo(f, null)).toList();
            return new FileListSnapshotInfo(infos, termIndex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
