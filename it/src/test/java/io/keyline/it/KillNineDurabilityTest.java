package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every put Keyline acknowledged survives {@code kill -9} and restart on the same data dir, with
 * the same value and mod revision, and the store revision never goes back, over several kill
 * cycles, including kills that land while writes are in flight.
 */
class KillNineDurabilityTest {

    static final int SEQUENTIAL_PUTS = 1000;
    static final int CONCURRENT_PUTS = 1000;
    static final int IN_FLIGHT = 64;
    static final int KILL_CYCLES = 3;

    /** Acknowledged writes: key → (value, mod revision from the put response header). */
    private final Map<String, long[]> ackedRevision = new ConcurrentHashMap<>();
    private final Map<String, String> ackedValue = new ConcurrentHashMap<>();
    private final AtomicLong maxAckedRevision = new AtomicLong();

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private void ack(String key, String value, PutResponse r) {
        ackedValue.put(key, value);
        ackedRevision.put(key, new long[] {r.getHeader().getRevision()});
        maxAckedRevision.accumulateAndGet(r.getHeader().getRevision(), Math::max);
    }

    @Test
    void acknowledgedPutsSurviveRepeatedKillNineAndRestart() throws Exception {
        try (ServerProcess server = ServerProcess.candidate("kill9")) {
            try (Client client = Client.builder().endpoints(server.clientUrl()).build()) {
                KV kv = client.getKVClient();
                for (int i = 0; i < SEQUENTIAL_PUTS; i++) {
                    String k = "/dur/seq/" + i;
                    String v = "value-" + i;
                    ack(k, v, kv.put(bs(k), bs(v)).get(10, TimeUnit.SECONDS));
                }
                Semaphore window = new Semaphore(IN_FLIGHT);
                List<CompletableFuture<?>> all = new ArrayList<>();
                for (int i = 0; i < CONCURRENT_PUTS; i++) {
                    String k = "/dur/par/" + i;
                    String v = "pvalue-" + i;
                    window.acquire();
                    all.add(kv.put(bs(k), bs(v)).whenComplete((r, e) -> {
                        window.release();
                        if (e == null) {
                            ack(k, v, r);
                        }
                    }));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            assertEquals(SEQUENTIAL_PUTS + CONCURRENT_PUTS, ackedValue.size(), "every put was acknowledged");
            assertEquals(1 + SEQUENTIAL_PUTS + CONCURRENT_PUTS, maxAckedRevision.get(),
                    "each put took one revision, starting above the empty store's revision 1");

            for (int cycle = 1; cycle <= KILL_CYCLES; cycle++) {
                long before = maxAckedRevision.get();
                boolean killDuringWrites = cycle > 1;
                if (killDuringWrites) {
                    killWhileWriting(server, cycle);
                } else {
                    server.kill9();
                }
                server.restart();
                long revision = verifyEverythingAcknowledged(server, "after kill -9 #" + cycle);
                if (!killDuringWrites) {
                    assertEquals(before, revision, "revision after a quiet kill -9 #" + cycle);
                }
                try (Client client = Client.builder().endpoints(server.clientUrl()).build()) {
                    String k = "/dur/after/" + cycle;
                    PutResponse r = client.getKVClient().put(bs(k), bs("a" + cycle)).get(10, TimeUnit.SECONDS);
                    assertEquals(revision + 1, r.getHeader().getRevision(), "first put after restart #" + cycle);
                    ack(k, "a" + cycle, r);
                }
            }
        }
    }

    /** Kills the server while IN_FLIGHT puts are outstanding; records only the acknowledged ones. */
    private void killWhileWriting(ServerProcess server, int cycle) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong acked = new AtomicLong();
        Client client = Client.builder().endpoints(server.clientUrl()).build();
        try {
            KV kv = client.getKVClient();
            Thread writer = new Thread(() -> {
                Semaphore window = new Semaphore(IN_FLIGHT);
                for (int i = 0; !stop.get(); i++) {
                    String k = "/dur/kill" + cycle + "/" + i;
                    String v = "k" + cycle + "-" + i;
                    try {
                        if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    kv.put(bs(k), bs(v)).whenComplete((r, e) -> {
                        window.release();
                        if (e == null) {
                            ack(k, v, r);
                            acked.incrementAndGet();
                        }
                    });
                }
            }, "kill9-writer");
            writer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acked.get() < 300 && System.nanoTime() < deadline) {
                ServerProcess.sleep(10);
            }
            assertTrue(acked.get() >= 300, "writes are being acknowledged before the kill: " + acked.get());
            server.kill9();
            stop.set(true);
            writer.join(10_000);
        } finally {
            client.close();
        }
    }

    /** Reads everything back and checks each acknowledged key; returns the store revision. */
    private long verifyEverythingAcknowledged(ServerProcess server, String when) throws Exception {
        try (Client client = Client.builder().endpoints(server.clientUrl()).build()) {
            GetResponse all = client.getKVClient().get(bs("/dur/"), GetOption.builder().isPrefix(true).build())
                    .get(30, TimeUnit.SECONDS);
            Map<String, KeyValue> found = new java.util.HashMap<>();
            for (KeyValue kv : all.getKvs()) {
                found.put(kv.getKey().toString(StandardCharsets.UTF_8), kv);
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> e : ackedValue.entrySet()) {
                KeyValue kv = found.get(e.getKey());
                long rev = ackedRevision.get(e.getKey())[0];
                if (kv == null) {
                    problems.add(e.getKey() + " missing (acked at revision " + rev + ")");
                } else if (!kv.getValue().toString(StandardCharsets.UTF_8).equals(e.getValue())
                        || kv.getModRevision() != rev) {
                    problems.add(e.getKey() + " = " + kv.getValue().toString(StandardCharsets.UTF_8) + "@" + kv.getModRevision()
                            + ", acked " + e.getValue() + "@" + rev);
                }
            }
            assertTrue(problems.isEmpty(), when + ": " + problems.size() + " acknowledged writes lost or changed, e.g. "
                    + problems.subList(0, Math.min(20, problems.size())) + "\nlog tail:\n" + server.logTail());
            long revision = all.getHeader().getRevision();
            assertTrue(revision >= maxAckedRevision.get(), when + ": revision went back: " + revision
                    + " < acknowledged " + maxAckedRevision.get());
            return revision;
        }
    }
}
