package io.keyline.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
 * One single-member etcd-compatible server run as a real OS process: either the real etcd binary
 * ({@link #etcd}) or Keyline's node jar ({@link #keyline}), both started with etcd's own flags.
 *
 * <p>Each instance owns free loopback ports (client and peer), a fresh data dir under
 * {@code it/target/servers/}, and a log file beside it. {@link #restart()} keeps the ports and the
 * data dir, so a restarted server must come back with the state it acknowledged before.
 */
public final class ServerProcess implements AutoCloseable {

    /** The only etcd binary the suite trusts; its absence fails the suite, it never skips it. */
    static final Path ETCD_BINARY = Paths.get("/usr/bin/etcd");

    /** Readiness deadline after start or restart; for tests. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    /** The member name both sides of a differential test use, so member lists compare equal. */
    static final String MEMBER_NAME = "it-member";

    enum Kind { ETCD, KEYLINE }

    private final Kind kind;
    private final String label;
    private final int clientPort;
    private final int peerPort;
    private final Path dataDir;
    private final Path logFile;
    private final List<String> extraFlags;
    private Process process;
    private int starts;

    private ServerProcess(Kind kind, String label, List<String> extraFlags) {
        this.kind = kind;
        this.label = label;
        this.extraFlags = List.copyOf(extraFlags);
        int[] ports = freePorts(2);
        this.clientPort = ports[0];
        this.peerPort = ports[1];
        try {
            Path root = targetDir().resolve("servers");
            Files.createDirectories(root);
            Path dir = Files.createTempDirectory(root, kind.name().toLowerCase() + "-" + label + "-");
            this.dataDir = dir.resolve("data");
            this.logFile = dir.resolve("server.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a fresh real etcd 3.4; fails (never skips) when /usr/bin/etcd is missing. */
    public static ServerProcess etcd(String label, String... extraFlags) {
        if (!Files.isExecutable(ETCD_BINARY)) {
            throw new AssertionError("real etcd is required at " + ETCD_BINARY + " (apt-get install etcd-server)");
        }
        return new ServerProcess(Kind.ETCD, label, List.of(extraFlags)).start();
    }

    /** Starts a fresh Keyline node from {@code <keyline.home>/gateway/target/keyline.jar}. */
    public static ServerProcess keyline(String label, String... extraFlags) {
        Path jar = keylineJar();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("Keyline node jar not built: " + jar + " (mvn -B install -DskipTests)");
        }
        return new ServerProcess(Kind.KEYLINE, label, List.of(extraFlags)).start();
    }

    /**
     * The server a differential test compares against real etcd: Keyline, or real etcd when
     * {@code -Dit.candidate=etcd} (used to prove the harness itself: etcd must equal etcd).
     */
    public static ServerProcess candidate(String label, String... extraFlags) {
        return "etcd".equals(System.getProperty("it.candidate", "keyline"))
                ? etcd(label, extraFlags)
                : keyline(label, extraFlags);
    }

    static Path keylineJar() {
        return Paths.get(System.getProperty("keyline.home", "..")).toAbsolutePath().normalize()
                .resolve("gateway/target/keyline.jar");
    }

    static Path targetDir() {
        Path home = Paths.get(System.getProperty("keyline.home", "..")).toAbsolutePath().normalize();
        return home.resolve("it/target");
    }

    public Kind kind() { return kind; }
    public int clientPort() { return clientPort; }
    public int peerPort() { return peerPort; }
    public String clientUrl() { return "http://127.0.0.1:" + clientPort; }
    public String peerUrl() { return "http://127.0.0.1:" + peerPort; }
    public Path dataDir() { return dataDir; }
    public Path logFile() { return logFile; }
    public Etcdctl etcdctl() { return new Etcdctl(clientUrl()); }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.ETCD) {
            cmd.add(ETCD_BINARY.toString());
        } else {
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx512m");
            cmd.add("-jar");
            cmd.add(keylineJar().toString());
        }
        cmd.add("--name=" + MEMBER_NAME);
        cmd.add("--data-dir=" + dataDir);
        cmd.add("--listen-client-urls=" + clientUrl());
        cmd.add("--advertise-client-urls=" + clientUrl());
        cmd.add("--listen-peer-urls=" + peerUrl());
        cmd.add("--initial-advertise-peer-urls=" + peerUrl());
        cmd.add("--initial-cluster=" + MEMBER_NAME + "=" + peerUrl());
        cmd.add("--initial-cluster-state=new");
        cmd.add("--initial-cluster-token=keyline-it");
        cmd.add("--log-level=info");
        cmd.addAll(extraFlags);
        return cmd;
    }

    private ServerProcess start() {
        try {
            ProcessBuilder pb = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Files.writeString(logFile, "=== start " + (++starts) + ": " + String.join(" ", command()) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
        return this;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Etcdctl ctl = etcdctl();
        Etcdctl.Result last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(kind + " " + label + " exited with " + process.exitValue()
                        + " before becoming ready; log tail:\n" + logTail());
            }
            last = ctl.runWithTimeout(Duration.ofSeconds(3), "--command-timeout=2s", "endpoint", "health");
            if (last.exitCode() == 0) {
                return;
            }
            sleep(200);
        }
        String tail = logTail();
        process.destroyForcibly();
        throw new AssertionError(kind + " " + label + " not ready within " + READY_TIMEOUT
                + " (last health check: " + last + "); log tail:\n" + tail);
    }

    /** Kills the server with SIGKILL (no shutdown hook, no flush) and waits for it to die. */
    public void kill9() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new AssertionError(kind + " " + label + " survived SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Starts the server again on the same data dir and ports; waits until it is ready. */
    public ServerProcess restart() {
        kill9();
        return start();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the process and deletes the data dir; the log file stays under target/ for post-mortems. */
    @Override
    public void close() {
        kill9();
        if (Files.exists(dataDir)) {
            try (Stream<Path> walk = Files.walk(dataDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return kind + "(" + label + ", " + clientUrl() + ")";
    }

    private static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try { s.close(); } catch (IOException ignored) { /* best effort */ }
                }
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
