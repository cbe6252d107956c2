package io.keyline.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Keyline member run from gateway/target/keyline.jar with etcd's flags on free loopback ports
 * and a temporary data dir, for the smoke test. A missing jar is an error, never a skip.
 */
final class KeylineMember implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int clientPort;

    private KeylineMember(Process process, Path dir, int clientPort) {
        this.process = process;
        this.dir = dir;
        this.clientPort = clientPort;
    }

    static Path jar() {
        return Paths.get(System.getProperty("keyline.home", "..")).toAbsolutePath().normalize()
                .resolve("gateway/target/keyline.jar");
    }

    static KeylineMember start() throws Exception {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("Keyline node jar not built: " + jar + " (mvn -B install -DskipTests)");
        }
        int client = freePort();
        int peer = freePort();
        Path dir = Files.createTempDirectory("keyline-bench-smoke");
        String c = "http://127.0.0.1:" + client;
        String p = "http://127.0.0.1:" + peer;
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--name=smoke", "--data-dir=" + dir.resolve("data"),
                "--listen-client-urls=" + c, "--advertise-client-urls=" + c, "--listen-peer-urls=" + p,
                "--initial-advertise-peer-urls=" + p, "--initial-cluster=smoke=" + p, "--initial-cluster-state=new"));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        KeylineMember m = new KeylineMember(proc, dir, client);
        m.awaitListening();
        return m;
    }

    String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    Path log() {
        return dir.resolve("server.log");
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("keyline exited early: " + Files.readString(log()));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("keyline did not listen within 30s: " + Files.readString(log()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
        }
    }
}
