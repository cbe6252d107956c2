package io.keyline.it;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers against a {@link KeylineCluster} that record every acknowledged put. Each key is written
 * by one writer only, with one value; a failed put is retried with the same key and value (to a
 * random member for raw gRPC), so an unacknowledged attempt that was applied after all is harmless.
 *
 * <ul>
 *   <li>{@code grpcWriters} threads send raw gRPC puts, one at a time, each to a random member
 *       (dead members fail fast and the put is retried elsewhere);
 *   <li>{@code jetcdWriters} threads share one jetcd client configured with every endpoint.
 * </ul>
 *
 * <p>Every writer is sequential, so each writer's acknowledged revisions must strictly increase
 * (a put that starts after another was acknowledged is ordered after it).
 */
final class ClusterWorkload implements AutoCloseable {

    /** One acknowledged put. */
    record Ack(String value, long revision) { }

    private final KeylineCluster cluster;
    private final String prefix;
    private final Map<String, Ack> acked = new ConcurrentHashMap<>();
    private final AtomicLong ackCount = new AtomicLong();
    private final AtomicLong maxAckedRevision = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final Client jetcd;
    private final Map<String, AtomicLong> lastErrors = new ConcurrentHashMap<>();

    /** Attempts started after this instant that were acknowledged: the first one's ack time. */
    private volatile long faultNanos = Long.MAX_VALUE;
    private final AtomicLong firstAckAfterFaultNanos = new AtomicLong(Long.MAX_VALUE);

    ClusterWorkload(KeylineCluster cluster, String prefix, int grpcWriters, int jetcdWriters) {
        this.cluster = cluster;
        this.prefix = prefix;
        this.jetcd = jetcdWriters == 0 ? null : Client.builder().endpoints(cluster.clientUrls())
                .retryMaxAttempts(0).build();
        for (int w = 0; w < grpcWriters; w++) {
            int id = w;
            threads.add(new Thread(() -> grpcWriter(id), "grpc-writer-" + w));
        }
        for (int w = 0; w < jetcdWriters; w++) {
            int id = w;
            threads.add(new Thread(() -> jetcdWriter(id), "jetcd-writer-" + w));
        }
        threads.forEach(Thread::start);
    }

    private void grpcWriter(int id) {
        long lastRev = 0;
        for (long n = 0; !stop.get(); n++) {
            String k = prefix + "g" + id + "/" + n;
            String v = "g" + id + "-" + n + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
            PutRequest req = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))
                    .setValue(ByteString.copyFromUtf8(v)).build();
            while (!stop.get()) {
                int m = ThreadLocalRandom.current().nextInt(cluster.size());
                long start = System.nanoTime();
                try {
                    PutResponse r = cluster.kv(m).withDeadlineAfter(5, TimeUnit.SECONDS).put(req);
                    lastRev = ack(k, v, r.getHeader().getRevision(), lastRev, start, "grpc-" + id + "→m" + m);
                    break;
                } catch (RuntimeException e) {
                    failed(e);
                    ServerProcess.sleep(50);
                }
            }
        }
    }

    private void jetcdWriter(int id) {
        KV kv = jetcd.getKVClient();
        long lastRev = 0;
        for (long n = 0; !stop.get(); n++) {
            String k = prefix + "j" + id + "/" + n;
            String v = "j" + id + "-" + n + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
            while (!stop.get()) {
                long start = System.nanoTime();
                try {
                    io.etcd.jetcd.kv.PutResponse r = kv.put(bs(k), bs(v)).get(5, TimeUnit.SECONDS);
                    lastRev = ack(k, v, r.getHeader().getRevision(), lastRev, start, "jetcd-" + id);
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    failed(e);
                    ServerProcess.sleep(50);
                }
            }
        }
    }

    private long ack(String k, String v, long rev, long lastRev, long attemptStart, String writer) {
        if (rev <= lastRev) {
            violations.add(writer + ": put " + k + " acknowledged at revision " + rev
                    + ", not above this writer's previous acknowledged revision " + lastRev);
        }
        acked.put(k, new Ack(v, rev));
        ackCount.incrementAndGet();
        maxAckedRevision.accumulateAndGet(rev, Math::max);
        if (attemptStart > faultNanos) {
            firstAckAfterFaultNanos.accumulateAndGet(System.nanoTime(), Math::min);
        }
        return rev;
    }

    private void failed(Throwable e) {
        failedAttempts.incrementAndGet();
        Throwable c = e;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        String msg = String.valueOf(c.getMessage());
        if (msg.length() > 90) {
            msg = msg.substring(0, 90);
        }
        lastErrors.computeIfAbsent(c.getClass().getSimpleName() + ": " + msg, x -> new AtomicLong()).incrementAndGet();
    }

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    String prefix() { return prefix; }
    long acks() { return ackCount.get(); }
    long maxAckedRevision() { return maxAckedRevision.get(); }
    Map<String, Ack> acked() { return acked; }

    /** Waits until {@code n} more puts are acknowledged than now. */
    void awaitMoreAcks(long n, Duration timeout, String what) {
        long target = ackCount.get() + n;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ackCount.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": only " + (ackCount.get() - target + n) + " of " + n
                        + " puts acknowledged within " + timeout + "; recent errors: " + errorSummary()
                        + "\n" + cluster);
            }
            ServerProcess.sleep(20);
        }
    }

    /** Marks the instant of a fault; {@link #awaitRecovery} measures from here. */
    void markFault() {
        firstAckAfterFaultNanos.set(Long.MAX_VALUE);
        faultNanos = System.nanoTime();
    }

    /** Waits for the first put that started after the fault to be acknowledged; returns the gap. */
    Duration awaitRecovery(Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstAckAfterFaultNanos.get() == Long.MAX_VALUE) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": no put started after the fault was acknowledged within "
                        + timeout + "; errors: " + errorSummary());
            }
            ServerProcess.sleep(10);
        }
        return Duration.ofNanos(firstAckAfterFaultNanos.get() - faultNanos);
    }

    String errorSummary() {
        return lastErrors.toString();
    }

    long failedAttempts() { return failedAttempts.get(); }

    /** Stops the writers (each finishes or abandons its current attempt). */
    void stop() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop");
            }
        }
    }

    /** Per-writer monotonicity violations seen so far. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /**
     * Every acknowledged put is on the replica with its value. The key's mod revision is the
     * acknowledged one, or later only if an unacknowledged attempt of the same put was applied after
     * the acknowledged retry (then the key has been written at least twice, same value).
     */
    List<String> missingFrom(ClusterVerifier.Replica replica) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Ack> e : acked.entrySet()) {
            KeyValue kv = replica.kvs().get(e.getKey());
            Ack a = e.getValue();
            if (kv == null) {
                problems.add(e.getKey() + " missing (acked " + a.value() + "@" + a.revision() + ")");
            } else if (!kv.getValue().toStringUtf8().equals(a.value())
                    || kv.getCreateRevision() > a.revision()
                    || kv.getModRevision() < a.revision()
                    || (kv.getModRevision() > a.revision() && kv.getVersion() < 2)) {
                problems.add(e.getKey() + " = " + ClusterVerifier.brief(kv) + ", acked " + a.value() + "@" + a.revision());
            }
        }
        return problems;
    }

    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (jetcd != null) {
            jetcd.close();
        }
    }
}
