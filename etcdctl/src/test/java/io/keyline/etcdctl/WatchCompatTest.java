package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * watch runs until killed, so both tools run as processes against one etcd; what they print
 * before they are stopped is compared. {@link WatchOnKeylineTest} runs the same against Keyline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchCompatTest {
    private EtcdServer etcd;

    /** The server both tools talk to; overridden to run the watches against Keyline. */
    EtcdServer.Kind server() {
        return EtcdServer.Kind.ETCD;
    }

    @BeforeAll
    void seed() throws Exception {
        etcd = EtcdServer.start(server());
        for (String[] c : new String[][] {{"put", "k1", "v1"}, {"put", "k1", "v2"}, {"put", "k2", "x y"},
                {"del", "k1"}, {"put", "kq", "\"q\"\n"}}) {
            assertEquals(0, Tools.etcdctl(etcd, "", Map.of(), c).code());
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    static Stream<String> historyWatches() {
        return Stream.of("watch --prefix k --rev 1", "watch k1 --rev 1 --prev-kv", "watch --prefix k --rev 1 -w json",
                "watch k1 k3 --rev 2 -w fields --hex",
                "watch --rev 1 --prefix k -- sh -c echo_$ETCD_WATCH_KEY_$ETCD_WATCH_REVISION_$ETCD_WATCH_EVENT_TYPE_$ETCD_WATCH_VALUE",
                "watch -w protobuf --rev 1 k2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("historyWatches")
    void historySameAsEtcdctl(String line) throws Exception {
        String[] args = ReadCommandsCompatTest.words(line);
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace('_', ' ');
        }
        String want = collect(Tools.etcdctlProcess(etcd, Map.of(), args).start(), "", 0);
        String got = collect(Tools.keylinectlProcess(etcd, Map.of(), args).start(), "", want.length());
        assertFalse(want.isEmpty());
        assertEquals(want, got, line);
    }

    @Test
    void interactiveSameAsEtcdctl() throws Exception {
        // One watch only: etcdctl prints concurrent watches (and progress notices) in racy order.
        String in = "bogus\nwatch\nwatch --prefix k --rev 2 -- echo hi\n";
        // Process.destroy() closes stdin before the signal, so whether a tool still reports the EOF
        // before it dies is a race; that line is not compared.
        String eof = "Error: Error reading watch request line: EOF\n";
        String want = collect(Tools.etcdctlProcess(etcd, Map.of(), "watch", "-i").start(), in, 0).replace(eof, "");
        String got = collect(Tools.keylinectlProcess(etcd, Map.of(), "watch", "-i").start(), in, want.length());
        assertEquals(want, got.replace(eof, ""));
    }

    @Test
    void liveEventSameAsEtcdctl() throws Exception {
        // Both watch from the next revision, so neither misses the events however slowly it starts.
        String json = Tools.etcdctl(etcd, "", Map.of(), "get", "x", "-w", "json").stdout();
        long next = Long.parseLong(json.replaceAll("(?s).*\"revision\":(\\d+).*", "$1").trim()) + 1;
        Process real = Tools.etcdctlProcess(etcd, Map.of(), "watch", "live", "--prev-kv", "--rev", "" + next).start();
        Process ours = Tools.keylinectlProcess(etcd, Map.of(), "watch", "live", "--prev-kv", "--rev", "" + next).start();
        Tools.etcdctl(etcd, "", Map.of(), "put", "live", "1");
        Tools.etcdctl(etcd, "", Map.of(), "put", "live", "2");
        String want = collect(real, "", 0);
        assertEquals(want, collect(ours, "", want.length()));
    }

    /**
     * Feeds stdin (kept open) and returns stdout + stderr once the process has printed at least
     * expect characters and then gone quiet (or after 15 s).
     */
    private static String collect(Process p, String stdin, int expect) throws Exception {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = pump(p.getInputStream(), out);
        Thread te = pump(p.getErrorStream(), err);
        long deadline = System.currentTimeMillis() + 15_000;
        String tail = "--- stderr\n";
        int last = -1;
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            Thread.sleep(200);
            int size;
            synchronized (out) {
                size = out.size();
            }
            synchronized (err) {
                size += err.size();
            }
            if (size != last) {
                last = size;
                quietSince = System.currentTimeMillis();
            } else if (size > 0 && size + tail.length() >= expect
                    && System.currentTimeMillis() - quietSince > (expect > 0 ? 400 : 1000)) {
                break;
            }
        }
        p.destroy();
        p.waitFor();
        to.join();
        te.join();
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8) + "--- stderr\n" + Masks.runToRun(err.toString(StandardCharsets.UTF_8));
        }
    }

    static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // process stopped
            }
        });
        t.start();
        return t;
    }
}
