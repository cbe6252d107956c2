package io.keyline.it;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.keyline.api.etcdserverpb.ClusterGrpc;
import io.keyline.api.etcdserverpb.HashKVRequest;
import io.keyline.api.etcdserverpb.HashKVResponse;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.keyline.api.etcdserverpb.LeaseGrpc;
import io.keyline.api.etcdserverpb.MaintenanceGrpc;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.api.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real multi-member Keyline cluster: N node processes ({@code java -jar gateway/target/keyline.jar})
 * started with etcd's clustering flags on free loopback ports, each with its own data dir and log
 * under {@code it/target/servers/cluster-<label>-*}/. Members can be killed with SIGKILL and
 * restarted on the same ports and data dir, or frozen with SIGSTOP and thawed with SIGCONT.
 *
 * <p>Every member is addressed by its index {@code 0..N-1}; raw gRPC stubs to one member come from
 * {@link #kv(int)} and {@link #maintenance(int)} (channels survive restarts: gRPC reconnects).
 */
public final class KeylineCluster implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(45);

    /** Ports handed out by this JVM, so two clusters (or two members) never get the same one. */
    private static final Set<Integer> USED_PORTS = new HashSet<>();

    private final String label;
    private final Path root;
    private final List<Member> members = new ArrayList<>();
    private final String initialCluster;
    private final List<String> extraFlags;
    /** Real etcd 3.4 members instead of Keyline ones, for differential cluster tests. */
    private final boolean etcd;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One member: fixed ports and dirs, a process that comes and goes. */
    final class Member {
        final int index;
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dataDir;
        final Path logFile;
        Process process;
        boolean paused;
        int starts;
        ManagedChannel channel;
        long memberId;
        /** A member added to the running cluster starts with the cluster MemberAdd described. */
        String joinCluster;

        Member(int index, int clientPort, int peerPort) {
            this.index = index;
            this.name = "m" + index;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dataDir = root.resolve(name).resolve("data");
            this.logFile = root.resolve(name + ".log");
        }

        String clientUrl() { return "http://127.0.0.1:" + clientPort; }
        String peerUrl() { return "http://127.0.0.1:" + peerPort; }

        List<String> command() {
            List<String> cmd = new ArrayList<>();
            if (etcd) {
                cmd.add(ServerProcess.ETCD_BINARY.toString());
            } else {
                cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
                cmd.add("-Xmx384m");
                cmd.add("-XX:+UseSerialGC");
                cmd.add("-XX:ErrorFile=" + root.resolve(name + "-hs_err_pid%p.log"));
                cmd.add("-jar");
                cmd.add(nodeJar().toString());
            }
            cmd.add("--name=" + name);
            cmd.add("--data-dir=" + dataDir);
            cmd.add("--listen-client-urls=" + clientUrl());
            cmd.add("--advertise-client-urls=" + clientUrl());
            cmd.add("--listen-peer-urls=" + peerUrl());
            cmd.add("--initial-advertise-peer-urls=" + peerUrl());
            cmd.add("--initial-cluster=" + (joinCluster == null ? initialCluster : joinCluster));
            cmd.add("--initial-cluster-state=" + (joinCluster == null ? "new" : "existing"));
            cmd.add("--initial-cluster-token=keyline-it-" + label);
            cmd.add("--log-level=info");
            cmd.addAll(extraFlags);
            return cmd;
        }

        synchronized ManagedChannel channel() {
            if (channel == null) {
                channel = ManagedChannelBuilder.forTarget("127.0.0.1:" + clientPort)
                        .usePlaintext()
                        .maxInboundMessageSize(256 << 20)
                        .build();
            }
            return channel;
        }

        @Override
        public String toString() {
            return name + "(" + clientUrl() + (process == null ? "" : ", pid " + process.pid()) + ")";
        }
    }

    private KeylineCluster(String label, int size, List<String> extraFlags) {
        this(label, size, extraFlags, false);
    }

    private KeylineCluster(String label, int size, List<String> extraFlags, boolean etcd) {
        this.etcd = etcd;
        Path jar = ServerProcess.keylineJar();
        if (!etcd && !Files.isRegularFile(jar)) {
            throw new AssertionError("Keyline node jar not built: " + jar + " (mvn -B install -DskipTests)");
        }
        this.label = label;
        this.extraFlags = List.copyOf(extraFlags);
        try {
            Path servers = ServerProcess.targetDir().resolve("servers");
            Files.createDirectories(servers);
            this.root = Files.createTempDirectory(servers, "cluster-" + label + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = freePorts(2 * size);
        StringJoiner ic = new StringJoiner(",");
        for (int i = 0; i < size; i++) {
            Member m = new Member(i, ports[2 * i], ports[2 * i + 1]);
            members.add(m);
            ic.add(m.name + "=" + m.peerUrl());
        }
        this.initialCluster = ic.toString();
    }

    private static Path nodeJarCopy;

    /**
     * A private copy of the node jar and its {@code lib/}, taken once per test JVM: the jar under
     * gateway/target may be rebuilt while a cluster test runs (a running or starting member then
     * fails with NoClassDefFoundError), and every member of every cluster here must run one build.
     */
    static synchronized Path nodeJar() {
        if (nodeJarCopy != null) {
            return nodeJarCopy;
        }
        Path jar = ServerProcess.keylineJar();
        Path lib = jar.resolveSibling("lib");
        deleteOldCopies();
        String last = "";
        for (int attempt = 0; attempt < 30; attempt++) {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(ServerProcess.targetDir()), "keyline-node-");
                Path copy = dir.resolve("keyline.jar");
                Files.copy(jar, copy);
                Files.createDirectories(dir.resolve("lib"));
                try (Stream<Path> libs = Files.list(lib)) {
                    for (Path l : (Iterable<Path>) libs::iterator) {
                        Files.copy(l, dir.resolve("lib").resolve(l.getFileName()));
                    }
                }
                try (Stream<Path> copies = Files.list(dir.resolve("lib"))) {
                    for (Path l : (Iterable<Path>) copies::iterator) {
                        new java.util.zip.ZipFile(l.toFile()).close();
                    }
                }
                try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(copy.toFile())) {
                    if (z.getEntry("io/keyline/gateway/KeylineMain.class") == null) {
                        throw new IOException("no KeylineMain in " + jar);
                    }
                }
                nodeJarCopy = copy;
                return copy;
            } catch (IOException | RuntimeException e) {
                last = e.toString(); // a build is writing the jar right now: try again shortly
                ServerProcess.sleep(1000);
            }
        }
        throw new AssertionError("could not take a consistent copy of " + jar + " and its lib/: " + last);
    }

    /** Copies (about 120 MB each) left by test runs that ended more than an hour ago. */
    private static void deleteOldCopies() {
        long cutoff = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (Stream<Path> dirs = Files.list(ServerProcess.targetDir())) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                if (d.getFileName().toString().startsWith("keyline-node-")
                        && Files.getLastModifiedTime(d).toMillis() < cutoff) {
                    try (Stream<Path> walk = Files.walk(d)) {
                        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** Starts {@code size} members and waits until every one answers with a known leader. */
    public static KeylineCluster start(String label, int size, String... extraFlags) {
        return start(new KeylineCluster(label, size, List.of(extraFlags)));
    }

    /** The same cluster of real etcd 3.4 members, to compare with. */
    public static KeylineCluster startEtcd(String label, int size, String... extraFlags) {
        return start(new KeylineCluster(label, size, List.of(extraFlags), true));
    }

    private static KeylineCluster start(KeylineCluster c) {
        try {
            for (Member m : c.members) {
                c.launch(m);
            }
            for (Member m : c.members) {
                c.awaitReady(m);
            }
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    public int size() { return members.size(); }
    public String clientUrl(int i) { return members.get(i).clientUrl(); }
    public String peerUrl(int i) { return members.get(i).peerUrl(); }
    public String name(int i) { return members.get(i).name; }
    public Etcdctl etcdctl(int i) { return new Etcdctl(clientUrl(i)); }

    /** Reserves ports and a data dir for one more member (not started): its index. */
    public int reserveMember() {
        int[] ports = freePorts(2);
        Member m = new Member(members.size(), ports[0], ports[1]);
        members.add(m);
        return m.index;
    }

    /**
     * Starts reserved member i with {@code --initial-cluster-state existing} and the initial
     * cluster MemberAdd printed for it; waits until it answers with a known leader.
     */
    public void startJoining(int i, String initialCluster) {
        Member m = members.get(i);
        m.joinCluster = initialCluster;
        launch(m);
        awaitReady(m);
    }
    public Path logFile(int i) { return members.get(i).logFile; }
    public Path dataDir(int i) { return members.get(i).dataDir; }

    /** Names of member i's Ratis log segment files ({@code log_<first>-<last>}, {@code log_inprogress_<first>}). */
    public List<String> raftSegments(int i) {
        Path dir = members.get(i).dataDir;
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("log_")).sorted().toList();
        } catch (IOException e) {
            return List.of("(" + e + ")");
        }
    }
    public Path root() { return root; }
    public long pid(int i) { return members.get(i).process.pid(); }
    public boolean isRunning(int i) { Member m = members.get(i); return m.process != null && m.process.isAlive(); }
    public boolean isPaused(int i) { return members.get(i).paused; }

    /** All client URLs, for clients (jetcd) that balance over the whole cluster. */
    public String[] clientUrls() {
        return members.stream().map(Member::clientUrl).toArray(String[]::new);
    }

    /** Null while member i runs; otherwise how it ended (exit code, and any JVM crash report). */
    public String exitInfo(int i) {
        Member m = members.get(i);
        if (m.process == null || m.process.isAlive()) {
            return null;
        }
        String crash = "";
        try (Stream<Path> files = Files.list(root)) {
            crash = files.filter(p -> p.getFileName().toString().startsWith(m.name + "-hs_err_pid" + m.process.pid()))
                    .findFirst().map(p -> {
                        try {
                            String text = Files.readString(p, StandardCharsets.UTF_8);
                            StringBuilder sb = new StringBuilder("; JVM crash report " + p + ":\n");
                            text.lines().filter(l -> l.startsWith("# ") || l.startsWith("j  ") || l.startsWith("C  "))
                                    .limit(30).forEach(l -> sb.append(l).append('\n'));
                            return sb.toString();
                        } catch (IOException e) {
                            return "; crash report " + p;
                        }
                    }).orElse("");
        } catch (IOException e) {
            // no crash report
        }
        return m + " exited with " + m.process.exitValue() + crash;
    }

    /** Members that are running and not paused. */
    public List<Integer> available() {
        List<Integer> out = new ArrayList<>();
        for (Member m : members) {
            if (m.process != null && m.process.isAlive() && !m.paused) {
                out.add(m.index);
            }
        }
        return out;
    }

    public io.grpc.Channel channel(int i) {
        return members.get(i).channel();
    }

    public KVGrpc.KVBlockingStub kv(int i) {
        return KVGrpc.newBlockingStub(members.get(i).channel());
    }

    public LeaseGrpc.LeaseBlockingStub lease(int i) {
        return LeaseGrpc.newBlockingStub(members.get(i).channel());
    }

    public LeaseGrpc.LeaseFutureStub leaseAsync(int i) {
        return LeaseGrpc.newFutureStub(members.get(i).channel());
    }

    public KVGrpc.KVFutureStub kvAsync(int i) {
        return KVGrpc.newFutureStub(members.get(i).channel());
    }

    public ClusterGrpc.ClusterBlockingStub cluster(int i) {
        return ClusterGrpc.newBlockingStub(members.get(i).channel());
    }

    public MaintenanceGrpc.MaintenanceBlockingStub maintenance(int i) {
        return MaintenanceGrpc.newBlockingStub(members.get(i).channel());
    }

    public StatusResponse status(int i) {
        return maintenance(i).withDeadlineAfter(3, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
    }

    public HashKVResponse hashKV(int i, long revision) {
        return maintenance(i).withDeadlineAfter(10, TimeUnit.SECONDS)
                .hashKV(HashKVRequest.newBuilder().setRevision(revision).build());
    }

    /** Member i's etcd member id (from its response headers; known once it has answered). */
    public long memberId(int i) {
        Member m = members.get(i);
        if (m.memberId == 0) {
            m.memberId = status(i).getHeader().getMemberId();
        }
        return m.memberId;
    }

    /**
     * The index of the member that the available members agree leads, waiting up to {@code timeout}
     * for an election to settle: a member counts as leader when it reports itself as the leader and
     * a majority of the whole cluster (counting only those that answer) report the same leader.
     */
    public int leaderIndex(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            Map<Long, Integer> votes = new HashMap<>();
            Map<Long, Integer> byId = new HashMap<>();
            StringJoiner seen = new StringJoiner(", ");
            for (int i : available()) {
                try {
                    StatusResponse s = status(i);
                    members.get(i).memberId = s.getHeader().getMemberId();
                    byId.put(s.getHeader().getMemberId(), i);
                    if (s.getLeader() != 0) {
                        votes.merge(s.getLeader(), 1, Integer::sum);
                    }
                    seen.add(members.get(i).name + "→" + Long.toHexString(s.getLeader()));
                } catch (RuntimeException e) {
                    seen.add(members.get(i).name + "→" + e.getMessage());
                }
            }
            last = seen.toString();
            for (Map.Entry<Long, Integer> v : votes.entrySet()) {
                Integer idx = byId.get(v.getKey());
                if (idx != null && v.getValue() > size() / 2) {
                    return idx;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no leader agreed on within " + timeout + ": " + last);
            }
            ServerProcess.sleep(100);
        }
    }

    public int leaderIndex() {
        return leaderIndex(Duration.ofSeconds(30));
    }

    /** A member other than {@code leader}, for "kill/pause a follower". */
    public int someFollower(int leader) {
        return (leader + 1) % size();
    }

    /** SIGKILL: no shutdown hook, no flush. Waits until the process is gone. */
    public void kill9(int i) {
        Member m = members.get(i);
        if (m.process != null && m.process.isAlive()) {
            m.process.destroyForcibly();
            try {
                if (!m.process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new AssertionError(m + " survived SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        m.paused = false;
    }

    /** Starts member i again on the same ports and data dir and waits until it answers. */
    public void restart(int i) {
        kill9(i);
        Member m = members.get(i);
        launch(m);
        awaitReady(m);
    }

    /** Starts several killed members at once (e.g. after killing all) and waits for each. */
    public void restartAll(int... indexes) {
        for (int i : indexes) {
            kill9(i);
            launch(members.get(i));
        }
        for (int i : indexes) {
            awaitReady(members.get(i));
        }
    }

    /** SIGSTOP: the process stays, frozen; its sockets stay open but nothing answers. */
    public void pause(int i) {
        signal(members.get(i), "STOP");
        members.get(i).paused = true;
    }

    /** SIGCONT. */
    public void resume(int i) {
        signal(members.get(i), "CONT");
        members.get(i).paused = false;
    }

    /** SIGTERM, as an init system stops a member; true once it has exited within {@code timeout}. */
    public boolean terminate(int i, Duration timeout) {
        Member m = members.get(i);
        signal(m, "TERM");
        try {
            return m.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void signal(Member m, String sig) {
        if (m.process == null || !m.process.isAlive()) {
            throw new AssertionError("cannot send SIG" + sig + " to " + m + ": not running");
        }
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(m.process.pid()))
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kill -" + sig + " " + m.process.pid() + " failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Plain HTTP GET of member i's /metrics; returns metric name (with labels) → value. */
    public Map<String, Double> metrics(int i) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(clientUrl(i) + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Double> out = new HashMap<>();
            for (String line : r.body().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                try {
                    out.put(line.substring(0, sp).trim(), Double.parseDouble(line.substring(sp + 1).trim()));
                } catch (RuntimeException ignored) {
                    // not a sample line
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String logTail(int i, int lines) {
        try {
            List<String> all = Files.readAllLines(members.get(i).logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Member i's WARN/ERROR lines with up to 6 stack frames each, each distinct message once (the
     * first time), for post-mortems: a failing follower can repeat one error thousands of times.
     */
    public String logProblems(int i, int max) {
        try {
            List<String> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int frames = 0;
            boolean keep = false;
            for (String line : Files.readAllLines(members.get(i).logFile, StandardCharsets.UTF_8)) {
                if (line.contains(" ERROR ") || line.contains(" WARN ") || line.startsWith("# ")) {
                    String text = line.length() > 30 && line.charAt(4) == '-' ? line.substring(29) : line;
                    text = text.replaceAll("[0-9]+", "N");
                    keep = seen.add(text);
                    frames = 0;
                    if (keep) {
                        out.add(line);
                    }
                } else if (keep && (line.startsWith("\tat ") || line.startsWith("Caused by") || !line.startsWith("20"))) {
                    if (!line.startsWith("\tat ") || frames++ < 6) {
                        out.add(line);
                    }
                } else {
                    keep = false;
                }
            }
            return String.join("\n", out.subList(Math.max(0, out.size() - max), out.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void launch(Member m) {
        try {
            Files.createDirectories(m.dataDir.getParent());
            List<String> cmd = m.command();
            Files.writeString(m.logFile, "=== start " + (++m.starts) + ": " + String.join(" ", cmd) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            m.process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(m.logFile.toFile()))
                    .start();
            m.paused = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ready = Maintenance.Status answers with a known leader and a serializable Range answers. */
    private void awaitReady(Member m) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "never answered";
        while (System.nanoTime() < deadline) {
            if (!m.process.isAlive()) {
                throw new AssertionError(m + " exited with " + m.process.exitValue()
                        + " before becoming ready; log tail:\n" + logTail(m.index, 40));
            }
            try {
                StatusResponse s = status(m.index);
                m.memberId = s.getHeader().getMemberId();
                if (s.getLeader() != 0) {
                    kv(m.index).withDeadlineAfter(3, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8("/ready")).setSerializable(true).build());
                    return;
                }
                last = "no leader yet";
            } catch (RuntimeException e) {
                last = e.toString();
            }
            ServerProcess.sleep(200);
        }
        throw new AssertionError(m + " not ready within " + READY_TIMEOUT + " (" + last + "); log tail:\n"
                + logTail(m.index, 40));
    }

    /** Serializable range over a prefix on member i: what that member's own replica holds. */
    public RangeResponse serializablePrefix(int i, String prefix, Duration timeout) {
        ByteString key = ByteString.copyFromUtf8(prefix);
        return kv(i).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).range(RangeRequest.newBuilder()
                .setKey(key).setRangeEnd(prefixEnd(key)).setSerializable(true).build());
    }

    static ByteString prefixEnd(ByteString prefix) {
        byte[] b = prefix.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                b[i]++;
                return ByteString.copyFrom(b, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    /** Kills every member, closes the channels, deletes the data dirs; logs stay under target/. */
    @Override
    public void close() {
        for (Member m : members) {
            try {
                kill9(m.index);
            } catch (RuntimeException | Error e) {
                // keep going: every process must die
            }
            if (m.channel != null) {
                m.channel.shutdownNow();
            }
        }
        for (Member m : members) {
            deleteTree(m.dataDir.getParent());
        }
    }

    /** Deletes a directory and everything under it, as far as it can. */
    static void deleteTree(Path dir) {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return "KeylineCluster(" + label + ", " + members + ", dir " + root + ")";
    }

    /** Binds {@code n} sockets at once (so they differ) and skips any port this JVM handed out before. */
    static int[] freePorts(int n) {
        synchronized (USED_PORTS) {
            List<ServerSocket> held = new ArrayList<>();
            int[] ports = new int[n];
            try {
                int found = 0;
                while (found < n) {
                    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                    held.add(s);
                    int p = s.getLocalPort();
                    if (USED_PORTS.add(p)) {
                        ports[found++] = p;
                    }
                }
                return ports;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                for (ServerSocket s : held) {
                    try { s.close(); } catch (IOException ignored) { /* best effort */ }
                }
            }
        }
    }
}
