package io.keyline.it;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.TextFormat;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.keyline.api.etcdserverpb.KVGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fresh real etcd and a fresh candidate (Keyline, or etcd with {@code -Dit.candidate=etcd}) that
 * receive the same requests in the same order, so that revisions stay aligned; every check runs on
 * both and compares the masked outcome (etcdctl exit code, stdout, stderr; or a gRPC/jetcd
 * response or error).
 *
 * <p>Mismatches are collected rather than thrown at once, so one run lists every difference in a
 * scenario; {@link #assertNoMismatches()} (called from {@code @AfterEach}) fails the test with all
 * of them, and every mismatch is also appended to {@code it/target/differential-mismatches.txt}.
 */
public final class DifferentialPair implements AutoCloseable {

    static final AtomicInteger CHECKS = new AtomicInteger();
    static final AtomicInteger MISMATCHES = new AtomicInteger();

    /** One side of the comparison, with lazily opened clients. */
    public static final class Side implements AutoCloseable {
        final ServerProcess server;
        final Mask mask;
        final Etcdctl ctl;
        private Client jetcd;
        private ManagedChannel channel;

        Side(ServerProcess server) {
            this.server = server;
            this.mask = Mask.of(server);
            this.ctl = server.etcdctl();
        }

        public synchronized Client jetcd() {
            if (jetcd == null) {
                jetcd = Client.builder().endpoints(server.clientUrl()).build();
            }
            return jetcd;
        }

        public synchronized ManagedChannel channel() {
            if (channel == null) {
                channel = ManagedChannelBuilder.forTarget("127.0.0.1:" + server.clientPort())
                        .usePlaintext()
                        .maxInboundMessageSize(16 << 20)
                        .build();
            }
            return channel;
        }

        public KVGrpc.KVBlockingStub kv() {
            return KVGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        }

        public ServerProcess server() { return server; }

        @Override
        public synchronized void close() {
            if (jetcd != null) {
                jetcd.close();
                jetcd = null;
            }
            if (channel != null) {
                channel.shutdownNow();
                channel = null;
            }
        }
    }

    private final String name;
    final Side etcd;
    final Side candidate;
    private final List<String> pending = new ArrayList<>();
    private int localChecks;
    private int localMismatches;

    private DifferentialPair(String name, ServerProcess etcd, ServerProcess candidate) {
        this.name = name;
        this.etcd = new Side(etcd);
        this.candidate = new Side(candidate);
    }

    /** Starts both servers with the same extra flags. */
    public static DifferentialPair start(String name, String... extraFlags) {
        ServerProcess e = ServerProcess.etcd(name, extraFlags);
        try {
            return new DifferentialPair(name, e, ServerProcess.candidate(name, extraFlags));
        } catch (RuntimeException | Error t) {
            e.close();
            throw t;
        }
    }

    /** Runs etcdctl with these args on both sides; compares masked exit code, stdout and stderr. */
    public Etcdctl.Result ctl(String... args) {
        return ctlStdin(null, args);
    }

    /** Like {@link #ctl} with {@code stdin} piped into etcdctl (for {@code txn}). */
    public Etcdctl.Result ctlStdin(String stdin, String... args) {
        Etcdctl.Result a = etcd.ctl.runWithStdin(stdin, args);
        Etcdctl.Result b = candidate.ctl.runWithStdin(stdin, args);
        String what = "etcdctl " + String.join(" ", args) + (stdin == null ? "" : " <<< " + stdin.replace("\n", "\\n"));
        compare(what, render(etcd.mask, a), render(candidate.mask, b));
        return a;
    }

    /**
     * Runs {@code action} on both sides (etcd first) and compares what it returned, rendered by
     * {@link #render(Mask, Object)}, or the exception it threw (class, gRPC code, description).
     */
    public String same(String what, Function<Side, Object> action) {
        String a = render(etcd.mask, invoke(action, etcd));
        String b = render(candidate.mask, invoke(action, candidate));
        compare(what, a, b);
        return a;
    }

    private static Object invoke(Function<Side, Object> action, Side side) {
        try {
            return action.apply(side);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private void compare(String what, String etcdOut, String candidateOut) {
        CHECKS.incrementAndGet();
        localChecks++;
        if (Boolean.getBoolean("it.trace")) {
            append("differential-trace.txt", "CHECK [" + name + "] " + what + "\n" + etcdOut + "\n\n");
        }
        if (!etcdOut.equals(candidateOut)) {
            MISMATCHES.incrementAndGet();
            localMismatches++;
            String msg = "MISMATCH [" + name + "] " + what + "\n=== etcd ===\n" + etcdOut
                    + "\n=== " + candidate.server.kind() + " ===\n" + candidateOut + "\n";
            pending.add(msg);
            append("differential-mismatches.txt", msg + "\n");
        }
    }

    /** Appends to a report under it/target/; {@code -Dit.trace=true} also records every etcd output. */
    private static synchronized void append(String file, String text) {
        try {
            Files.writeString(ServerProcess.targetDir().resolve(file), text,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String render(Mask mask, Object o) {
        return mask.apply(renderRaw(o));
    }

    private static String renderRaw(Object o) {
        if (o instanceof Etcdctl.Result r) {
            return r.toString();
        }
        if (o instanceof MessageOrBuilder m) {
            return m.getClass().getSimpleName() + " {\n" + TextFormat.printer().escapingNonAscii(false).printToString(m) + "}";
        }
        if (o instanceof Throwable t) {
            return renderError(t);
        }
        return String.valueOf(o);
    }

    /** An error as a client sees it: each cause's class and message, and the gRPC status. */
    static String renderError(Throwable t) {
        StringBuilder sb = new StringBuilder("ERROR");
        Throwable c = t;
        while (c != null) {
            if (!(c instanceof ExecutionException || c instanceof java.util.concurrent.CompletionException)) {
                sb.append("\n  ").append(c.getClass().getName()).append(": ").append(c.getMessage());
            }
            if (c instanceof StatusRuntimeException sre) {
                sb.append("\n  status=").append(sre.getStatus().getCode())
                  .append(" description=").append(sre.getStatus().getDescription());
            }
            if (c.getCause() == c) {
                break;
            }
            c = c.getCause();
        }
        return sb.toString();
    }

    /** Fails with every mismatch seen since the last call. */
    public void assertNoMismatches() {
        if (!pending.isEmpty()) {
            String all = String.join("\n", pending);
            pending.clear();
            throw new AssertionError(all);
        }
    }

    @Override
    public void close() {
        System.out.printf("[differential] %s: %d checks, %d mismatches (suite so far: %d checks, %d mismatches)%n",
                name, localChecks, localMismatches, CHECKS.get(), MISMATCHES.get());
        try {
            etcd.close();
            candidate.close();
        } finally {
            try {
                etcd.server.close();
            } finally {
                candidate.server.close();
            }
        }
    }
}
