package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A member stopped with SIGTERM and started again under a running watch: the Go client behind the
 * real etcdctl opens a new stream once the member is back and resumes after the last event it
 * printed. keylinectl must do the same, on etcd and on Keyline, and print what etcdctl prints.
 */
class WatchResumeCompatTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(EtcdServer.Kind.class)
    void watchResumesAfterItsMemberRestartsAsEtcdctls(EtcdServer.Kind kind) throws Exception {
        try (EtcdServer s = EtcdServer.start(kind)) {
            // From the next revision, so neither watch misses the first put however slowly it starts.
            String json = Tools.etcdctl(s, "", Map.of(), "get", "resume", "-w", "json").stdout();
            long next = Long.parseLong(json.replaceAll("(?s).*\"revision\":(\\d+).*", "$1").trim()) + 1;
            String[] args = {"watch", "resume", "--prev-kv", "--rev", Long.toString(next)};
            try (Watching real = new Watching(Tools.etcdctlProcess(s, Map.of(), args).start());
                    Watching ours = new Watching(Tools.keylinectlProcess(s, Map.of(), args).start())) {
                put(s, "before");
                real.await("before");
                ours.await("before");
                s.restart(Duration.ofSeconds(2));
                put(s, "after");
                real.await("after");
                ours.await("after");
                assertEquals(real.output(), ours.output());
            }
        }
    }

    private static void put(EtcdServer s, String value) throws Exception {
        assertEquals(0, Tools.etcdctl(s, "", Map.of(), "put", "resume", value).code());
    }

    /** A watch command running as its own process, its output collected as it prints. */
    private static final class Watching implements AutoCloseable {
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outPump;
        private final Thread errPump;

        Watching(Process process) {
            this.process = process;
            this.outPump = WatchCompatTest.pump(process.getInputStream(), out);
            this.errPump = WatchCompatTest.pump(process.getErrorStream(), err);
        }

        /** Waits until stdout shows value; a watch that gave up fails here with what it printed. */
        void await(String value) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stdout().contains(value)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the watch did not print " + value + " within 30 s (running: "
                            + process.isAlive() + ")\n" + output());
                }
                Thread.sleep(100);
            }
        }

        String output() {
            String e;
            synchronized (err) {
                e = err.toString(StandardCharsets.UTF_8);
            }
            return stdout() + "--- stderr\n" + Masks.runToRun(e);
        }

        private String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
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
