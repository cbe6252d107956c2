package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real etcd on free loopback ports with a throw-away data dir: the reference for every test. */
final class EtcdServer implements AutoCloseable {
    static final String ETCD = "/usr/bin/etcd";

    final int clientPort;
    final int peerPort;
    private final Path dataDir;
    private final Process process;

    private EtcdServer(int clientPort, int peerPort, Path dataDir, Process process) {
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.dataDir = dataDir;
        this.process = process;
    }

    /** Starts etcd; a missing binary fails the test rather than skipping it. */
    static EtcdServer start() throws Exception {
        assertTrue(new File(ETCD).canExecute(), ETCD + " is needed as the reference server");
        int client = freePort();
        int peer = freePort();
        Path dir = Files.createTempDirectory("keylinectl-etcd");
        String c = "http://127.0.0.1:" + client;
        String p = "http://127.0.0.1:" + peer;
        Process proc = new ProcessBuilder(ETCD, "--name", "t", "--data-dir", dir.toString(),
                "--listen-client-urls", c, "--advertise-client-urls", c, "--listen-peer-urls", p,
                "--initial-advertise-peer-urls", p, "--initial-cluster", "t=" + p)
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        EtcdServer s = new EtcdServer(client, peer, dir, proc);
        s.awaitReady();
        return s;
    }

    String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "etcd exited; see " + dataDir.resolve("etcd.log"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
                CtlRun r = Tools.etcdctl(this, "", java.util.Map.of(), "endpoint", "health");
                if (r.code() == 0) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("etcd did not become healthy");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
