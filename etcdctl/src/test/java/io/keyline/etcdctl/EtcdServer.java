package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server speaking etcd's API on free loopback ports with a throw-away data dir: a real etcd (the
 * reference for every test) or a Keyline member run from its jar with the same flags.
 */
final class EtcdServer implements AutoCloseable {
    static final String ETCD = "/usr/bin/etcd";

    /** Which server the process is. */
    enum Kind { ETCD, KEYLINE }

    final Kind kind;
    final int clientPort;
    final int peerPort;
    private final Path dir;
    private final List<String> command;
    private Process process;

    private EtcdServer(Kind kind, int clientPort, int peerPort, Path dir, List<String> command) throws IOException {
        this.kind = kind;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.dir = dir;
        this.command = command;
        this.process = launch();
    }

    private Process launch() throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
    }

    /** Starts etcd; a missing binary fails the test rather than skipping it. */
    static EtcdServer start() throws Exception {
        return start(Kind.ETCD);
    }

    /** Starts a single-member server; a missing etcd binary or Keyline jar fails the test. */
    static EtcdServer start(Kind kind) throws Exception {
        List<String> cmd = new ArrayList<>(program(kind));
        int client = freePort();
        int peer = freePort();
        Path dir = Files.createTempDirectory("keylinectl-" + kind.name().toLowerCase());
        String c = "http://127.0.0.1:" + client;
        String p = "http://127.0.0.1:" + peer;
        cmd.addAll(List.of("--name", "t", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", c, "--advertise-client-urls", c, "--listen-peer-urls", p,
                "--initial-advertise-peer-urls", p, "--initial-cluster", "t=" + p));
        EtcdServer s = new EtcdServer(kind, client, peer, dir, cmd);
        try {
            s.awaitReady();
        } catch (Throwable t) {
            s.close();
            throw t;
        }
        return s;
    }

    private static List<String> program(Kind kind) {
        if (kind == Kind.ETCD) {
            assertTrue(new File(ETCD).canExecute(), ETCD + " is needed as the reference server");
            return List.of(ETCD);
        }
        Path jar = keylineJar();
        assertTrue(Files.isRegularFile(jar), "Keyline's server jar is needed: " + jar + " (mvn -B install)");
        return List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar.toString());
    }

    /** {@code <keyline.home>/gateway/target/keyline.jar}; the pom sets keyline.home to the repository. */
    static Path keylineJar() {
        return Paths.get(System.getProperty("keyline.home", "..")).toAbsolutePath().normalize()
                .resolve("gateway/target/keyline.jar");
    }

    String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /**
     * Stops the member with SIGTERM, as an init system does, leaves it down for {@code down}, and
     * starts it again on the same ports and data.
     */
    void restart(Duration down) throws Exception {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), kind + " did not stop on SIGTERM");
        Thread.sleep(down.toMillis());
        process = launch();
        awaitReady();
    }

    /** Ready once a linearizable get succeeds through the real etcdctl. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), kind + " exited; log:\n" + log());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
                CtlRun r = Tools.etcdctl(this, "", java.util.Map.of(), "--command-timeout", "2s", "get", "ready");
                if (r.code() == 0) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError(kind + " did not answer a get; log:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
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
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
