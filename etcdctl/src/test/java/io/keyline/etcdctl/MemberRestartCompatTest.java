package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A member stopped with SIGTERM and started again under a running etcdctl command that streams:
 * the Go client behind the real etcdctl opens a new stream once the member is back and carries
 * on. keylinectl must do the same, on etcd and on Keyline, and print what etcdctl prints.
 */
class MemberRestartCompatTest {
    private static final Duration DOWN = Duration.ofSeconds(2);

    @ParameterizedTest(name = "{0}")
    @EnumSource(EtcdServer.Kind.class)
    void watchResumesAfterItsLastEventAsEtcdctls(EtcdServer.Kind kind) throws Exception {
        try (EtcdServer s = EtcdServer.start(kind)) {
            // From the next revision, so neither watch misses the first put however slowly it starts.
            String json = Tools.etcdctl(s, "", Map.of(), "get", "resume", "-w", "json").stdout();
            long next = Long.parseLong(json.replaceAll("(?s).*\"revision\":(\\d+).*", "$1").trim()) + 1;
            String[] args = {"watch", "resume", "--prev-kv", "--rev", Long.toString(next)};
            try (Running real = new Running(Tools.etcdctlProcess(s, Map.of(), args).start());
                    Running ours = new Running(Tools.keylinectlProcess(s, Map.of(), args).start())) {
                put(s, "before");
                real.awaitLines("before", 1);
                ours.awaitLines("before", 1);
                s.restart(DOWN);
                put(s, "after");
                real.awaitLines("after", 1);
                ours.awaitLines("after", 1);
                assertEquals(real.output(), ours.output());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EtcdServer.Kind.class)
    void leaseKeepAliveRenewsAgainAfterTheRestartAsEtcdctls(EtcdServer.Kind kind) throws Exception {
        try (EtcdServer s = EtcdServer.start(kind)) {
            // Renewed every 10 s, and given up by the client only after 30 s without an answer.
            CtlRun grant = Tools.etcdctl(s, "", Map.of(), "lease", "grant", "30");
            assertEquals(0, grant.code(), grant.stderr());
            String id = grant.stdout().split(" ")[1];
            String renewed = "lease " + id + " keepalived with TTL(30)";
            try (Running real = new Running(Tools.etcdctlProcess(s, Map.of(), "lease", "keep-alive", id).start());
                    Running ours = new Running(Tools.keylinectlProcess(s, Map.of(), "lease", "keep-alive", id).start())) {
                real.awaitLines(renewed, 1);
                ours.awaitLines(renewed, 1);
                s.restart(DOWN);
                real.awaitLines(renewed, real.lines(renewed) + 1);
                ours.awaitLines(renewed, ours.lines(renewed) + 1);
                // How many renewals each printed depends on when it started; what it printed must not.
                assertEquals(real.distinctOutput(), ours.distinctOutput());
            }
        }
    }

    private static void put(EtcdServer s, String value) throws Exception {
        assertEquals(0, Tools.etcdctl(s, "", Map.of(), "put", "resume", value).code());
    }

    /** A streaming command running as its own process, its output collected as it prints. */
    private static final class Running implements AutoCloseable {
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outPump;
        private final Thread errPump;

        Running(Process process) {
            this.process = process;
            this.outPump = WatchCompatTest.pump(process.getInputStream(), out);
            this.errPump = WatchCompatTest.pump(process.getErrorStream(), err);
        }

        /** Waits until stdout has count lines containing text; a command that gave up fails here. */
        void awaitLines(String text, int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines(text) < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no " + count + " lines with " + text + " within 30 s (running: "
                            + process.isAlive() + ")\n" + output());
                }
                Thread.sleep(100);
            }
        }

        int lines(String text) {
            return (int) stdout().lines().filter(l -> l.contains(text)).count();
        }

        String output() {
            return stdout() + "--- stderr\n" + stderr() + "--- running: " + process.isAlive();
        }

        /** Each line once, in the order first printed. */
        String distinctOutput() {
            return String.join("\n", new LinkedHashSet<>(stdout().lines().toList())) + "\n--- stderr\n" + stderr()
                    + "--- running: " + process.isAlive();
        }

        private String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        private String stderr() {
            synchronized (err) {
                return Masks.runToRun(err.toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            outPump.join();
            errPump.join();
        }
    }
}
