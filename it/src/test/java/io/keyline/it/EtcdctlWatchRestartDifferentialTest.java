package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A member stopped (SIGTERM, as an init system stops it) and started again under a running real
 * {@code etcdctl watch}: etcd's client keeps the watch through the restart and resumes it after the
 * last revision it printed, so the put made after the restart is printed too. The same on Keyline.
 */
class EtcdctlWatchRestartDifferentialTest {

    @Test
    void etcdctlWatchOutlivesARestartOfItsMemberAsOnEtcd() throws Exception {
        String etcd;
        try (KeylineCluster c = KeylineCluster.startEtcd("watchrestart-etcd", 1)) {
            etcd = watchAcrossRestart(c);
        }
        String keyline;
        try (KeylineCluster c = KeylineCluster.start("watchrestart", 1)) {
            keyline = watchAcrossRestart(c);
        }
        assertTrue(etcd.contains("after"), "etcd's own run did not show the resumed watch:\n" + etcd);
        assertEquals(etcd, keyline);
    }

    /** What the watch printed, and whether it still ran when its member had stopped. */
    private static String watchAcrossRestart(KeylineCluster c) throws IOException, InterruptedException {
        Path out = Files.createTempFile("etcdctl-watch", ".out");
        Path err = Files.createTempFile("etcdctl-watch", ".err");
        ProcessBuilder pb = new ProcessBuilder(Etcdctl.BINARY.toString(), "--endpoints=" + c.clientUrl(0),
                "watch", "k", "--rev", "1")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("ETCDCTL_API", "3");
        Process watch = pb.start();
        try {
            assertEquals(0, c.etcdctl(0).run("put", "k", "before").exitCode());
            awaitPrinted(out, "before", err);
            assertTrue(c.terminate(0, Duration.ofSeconds(30)), "the member did not stop on SIGTERM");
            ServerProcess.sleep(1000);
            boolean aliveWhileStopped = watch.isAlive();
            c.restart(0);
            assertEquals(0, c.etcdctl(0).run("put", "k", "after").exitCode());
            if (aliveWhileStopped) {
                awaitPrinted(out, "after", err);
            }
            return "watch running while its member was stopped: " + aliveWhileStopped + "\n"
                    + Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            watch.destroyForcibly();
            watch.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void awaitPrinted(Path out, String value, Path err) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(out, StandardCharsets.UTF_8).contains(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("etcdctl watch did not print " + value + " within 30 s; stdout:\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + "\nstderr:\n" + Files.readString(err));
            }
            ServerProcess.sleep(100);
        }
    }
}
