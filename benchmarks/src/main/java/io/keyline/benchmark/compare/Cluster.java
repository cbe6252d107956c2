package io.keyline.benchmark.compare;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.keyline.api.etcdserverpb.MaintenanceGrpc;
import io.keyline.api.etcdserverpb.MoveLeaderRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.api.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One cluster of real etcd or Keyline members on this host, started with the same etcd flags:
 * free loopback ports, a temporary data dir per member, one --initial-cluster naming them all.
 * Ready means a put through the first member succeeded (so a leader exists) and, with several
 * members, the last one leads: an election picks any member, and a client on the leader skips the
 * forward a client on a follower pays, so both servers get the same placement (connection 0, and
 * so every one-client workload, goes through member 0, a follower).
 */
final class Cluster implements AutoCloseable {
    enum Kind { ETCD, KEYLINE }

    private final Kind kind;
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();

    private Cluster(Kind kind, Path dir) {
        this.kind = kind;
        this.dir = dir;
    }

    static Cluster start(Kind kind, int members, Settings s) throws Exception {
        Path dir = Files.createTempDirectory("keyline-compare-" + kind.name().toLowerCase() + "-");
        Cluster c = new Cluster(kind, dir);
        try {
            c.launch(members, s);
            c.awaitReady(s.readyTimeoutSecs());
            if (members > 1) {
                c.placeLeaderLast(s.readyTimeoutSecs());
            }
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    Kind kind() {
        return kind;
    }

    List<String> endpoints() {
        return endpoints;
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    Path logOf(int member) {
        return dir.resolve("m" + member + ".log");
    }

    private void launch(int members, Settings s) throws IOException {
        int[] client = new int[members];
        int[] peer = new int[members];
        List<String> initial = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            client[i] = freePort();
            peer[i] = freePort();
            initial.add("m" + i + "=http://127.0.0.1:" + peer[i]);
        }
        for (int i = 0; i < members; i++) {
            String c = "http://127.0.0.1:" + client[i];
            String p = "http://127.0.0.1:" + peer[i];
            List<String> cmd = new ArrayList<>();
            cmd.add((kind == Kind.ETCD ? s.etcdBinary() : s.keylineLauncher()).toString());
            cmd.addAll(List.of("--name=m" + i, "--data-dir=" + dir.resolve("m" + i + ".data"),
                    "--listen-client-urls=" + c, "--advertise-client-urls=" + c,
                    "--listen-peer-urls=" + p, "--initial-advertise-peer-urls=" + p,
                    "--initial-cluster=" + String.join(",", initial), "--initial-cluster-state=new",
                    "--initial-cluster-token=compare-" + kind.name().toLowerCase()));
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logOf(i).toFile());
            if (kind == Kind.KEYLINE) {
                // bin/keyline execs java, so the process measured is the member's JVM
                builder.environment().put("KEYLINE_JAR", s.keylineJar().toString());
                builder.environment().put("KEYLINE_JAVA_OPTS", s.keylineJavaOpts());
            }
            Process proc = builder.start();
            processes.add(proc);
            endpoints.add("127.0.0.1:" + client[i]);
        }
    }

    private void awaitReady(int timeoutSecs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSecs);
        ManagedChannel ch = NettyChannelBuilder.forTarget(endpoints.get(0)).usePlaintext().build();
        String last = "no answer";
        try {
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < processes.size(); i++) {
                    if (!processes.get(i).isAlive()) {
                        throw new AssertionError(kind + " member m" + i + " exited with "
                                + processes.get(i).exitValue() + "; log " + logOf(i) + ":\n" + tail(logOf(i)));
                    }
                }
                try {
                    KVGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("foo"))
                                    .setValue(ByteString.copyFromUtf8("bar")).build());
                    return;
                } catch (RuntimeException e) {
                    last = e.getMessage();
                    Thread.sleep(250);
                }
            }
            throw new AssertionError(kind + " cluster of " + processes.size() + " not ready in " + timeoutSecs
                    + "s (last: " + last + "); log " + logOf(0) + ":\n" + tail(logOf(0)));
        } finally {
            ch.shutdownNow();
        }
    }

    private void placeLeaderLast(int timeoutSecs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSecs);
        List<ManagedChannel> channels = endpoints.stream()
                .map(e -> (ManagedChannel) NettyChannelBuilder.forTarget(e).usePlaintext().build()).toList();
        String last = "no answer";
        try {
            while (System.nanoTime() < deadline) {
                try {
                    List<StatusResponse> status = new ArrayList<>();
                    for (ManagedChannel ch : channels) {
                        status.add(MaintenanceGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                                .status(StatusRequest.getDefaultInstance()));
                    }
                    long target = status.get(status.size() - 1).getHeader().getMemberId();
                    long leader = status.get(0).getLeader();
                    if (leader == target && status.stream().allMatch(st -> st.getLeader() == target)) {
                        return;
                    }
                    for (int i = 0; i < status.size(); i++) {
                        if (status.get(i).getHeader().getMemberId() == leader) {
                            MaintenanceGrpc.newBlockingStub(channels.get(i)).withDeadlineAfter(10, TimeUnit.SECONDS)
                                    .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(target).build());
                        }
                    }
                } catch (RuntimeException e) {
                    last = e.getMessage();
                }
                Thread.sleep(250);
            }
            throw new AssertionError(kind + " cluster: leadership did not move to m" + (endpoints.size() - 1)
                    + " in " + timeoutSecs + "s (last: " + last + ")");
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - 15), lines.size()).stream()
                    .map(l -> "    " + l).collect(Collectors.joining("\n"));
        } catch (IOException | RuntimeException e) {
            return "    (no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (!Boolean.getBoolean("compare.keepData")) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
            }
        }
    }
}
