package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.keyspace.mvcc.MvccStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real etcdctl saves a snapshot from Keyline exactly as it does from etcd, and
 * {@code keyline snapshot restore} turns that file into a data directory holding the same keys at
 * the same revision; a damaged file is refused and leaves no directory behind.
 */
class SnapshotSaveRestoreTest {

    @Test
    void etcdctlSavesAndKeylineRestoresTheSameKeysAtTheSameRevision() throws Exception {
        Path work = Files.createTempDirectory(ServerProcess.targetDir(), "snapshot-");
        try (ServerProcess etcd = ServerProcess.etcd("snap-etcd"); ServerProcess keyline = ServerProcess.keyline("snap-kl")) {
            for (ServerProcess s : List.of(etcd, keyline)) {
                for (int i = 0; i < 50; i++) {
                    assertEquals(0, s.etcdctl().run("put", "/snap/" + i, "value-" + i).exitCode());
                }
            }
            Etcdctl.Result fromEtcd = etcd.etcdctl().run("snapshot", "save", work.resolve("etcd.db").toString());
            Etcdctl.Result fromKeyline = keyline.etcdctl().run("snapshot", "save", work.resolve("keyline.db").toString());
            assertEquals(fromEtcd.exitCode(), fromKeyline.exitCode());
            assertEquals(fromEtcd.stdout().replace("etcd.db", "X"), fromKeyline.stdout().replace("keyline.db", "X"));

            Path restored = work.resolve("restored.etcd");
            Process restore = restore(work.resolve("keyline.db"), restored);
            assertEquals(0, restore.exitValue(), output(restore));
            try (MvccStore store = MvccStore.open(restored.resolve("member/kv"))) {
                assertEquals(51, store.currentRevision());
                assertEquals(50, store.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/snap/"))
                        .setRangeEnd(ByteString.copyFromUtf8("/snap0")).build()).getCount());
                assertEquals(0, store.appliedIndex());
            }

            Path damaged = work.resolve("damaged.db");
            Files.copy(work.resolve("keyline.db"), damaged);
            try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
                f.seek(100);
                f.write(0x5a);
            }
            Process refused = restore(damaged, work.resolve("never.etcd"));
            assertEquals(1, refused.exitValue());
            assertTrue(output(refused).contains("integrity check failed"), output(refused));
            assertFalse(Files.exists(work.resolve("never.etcd")));
        }
    }

    private static Process restore(Path file, Path dataDir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ServerProcess.keylineJar().toString(), "snapshot", "restore", file.toString(),
                "--data-dir", dataDir.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "restore did not finish");
        return p;
    }

    private static String output(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
