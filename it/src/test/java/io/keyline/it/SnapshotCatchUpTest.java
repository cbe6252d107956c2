package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.HashKVResponse;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.StatusResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A follower frozen (SIGSTOP) while the others take many single-put log entries, with a tiny
 * snapshot interval ({@code --snapshot-count 10 --experimental-snapshot-catchup-entries 5}), must
 * catch up once thawed: its own serializable reads return every key and its HashKV equals the
 * leader's at the same revision. Reports whether it caught up by installing a snapshot
 * ({@code keyline_snapshots_installed_total}) or by log replay, and how long catch-up took.
 */
class SnapshotCatchUpTest {

    static final String[] FLAGS = {"--snapshot-count=10", "--experimental-snapshot-catchup-entries=5"};

    /**
     * For the 10k-puts measurement: with --snapshot-count=10 Keyline takes a RocksDB checkpoint every
     * 10 entries (~100-300 ms each on the apply thread) and writes crawl at ~30 puts/s, so 10k puts
     * would keep the follower frozen past Ratis' 60 s close-threshold (it then shuts itself down on
     * SIGCONT). A larger interval still snapshots several times during the run.
     */
    static final String[] FLAGS_10K = {"--snapshot-count=1000", "--experimental-snapshot-catchup-entries=500"};

    @Test
    void pausedFollowerCatchesUpAfter200SinglePutEntries() {
        try (KeylineCluster c = KeylineCluster.start("snap200", 3, FLAGS)) {
            int leader = c.leaderIndex();
            int lagging = c.someFollower(leader);
            int other = 3 - leader - lagging;
            Map<String, Double> before = c.metrics(lagging);
            c.pause(lagging);
            long lastRev;
            try {
                lastRev = 0;
                for (int i = 0; i < 200; i++) {
                    int m = i % 2 == 0 ? leader : other;
                    PutResponse r = c.kv(m).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8(String.format("/snap/%03d", i)))
                            .setValue(ByteString.copyFromUtf8("value-" + i)).build());
                    lastRev = r.getHeader().getRevision();
                }
                StatusResponse ls = c.status(leader);
                System.out.printf("[snap200] wrote 200 keys with m%d frozen; leader m%d at raft index %d, revision %d, "
                        + "snapshots taken %s%n", lagging, leader, ls.getRaftIndex(), lastRev,
                        c.metrics(leader).get("keyline_snapshots_taken_total"));
            } finally {
                c.resume(lagging);
            }
            long t0 = System.nanoTime();
            awaitCaughtUp(c, lagging, leader, "/snap/", 200, lastRev, Duration.ofSeconds(60), "snap200");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Map<String, Double> after = c.metrics(lagging);
            double installed = after.getOrDefault("keyline_snapshots_installed_total", -1.0);
            System.out.printf("[snap200] m%d caught up %d ms after SIGCONT; keyline_snapshots_installed_total %s -> %s "
                    + "(%s); keyline_snapshots_taken_total on it %s%n", lagging, ms,
                    before.get("keyline_snapshots_installed_total"), installed,
                    installed > 0 ? "caught up by SNAPSHOT INSTALL" : "caught up by LOG REPLAY, no snapshot installed",
                    after.get("keyline_snapshots_taken_total"));
            verifyValues(c, lagging, 200);
            // The caught-up member keeps working as a full member: a write through it lands everywhere.
            ClusterDurabilityTest.put(c, lagging, "/snap/after", "x", 15);
            ClusterVerifier.converge(c, "/snap/", "snap200 after catch-up");
        }
    }

    @Test
    void pausedFollowerCatchesUpAfter10kPuts() {
        final int n = 10_000;
        try (KeylineCluster c = KeylineCluster.start("snap10k", 3, FLAGS_10K)) {
            int leader = c.leaderIndex();
            int lagging = c.someFollower(leader);
            int other = 3 - leader - lagging;
            c.pause(lagging);
            long lastRev;
            WriteResult written;
            try {
                long t0 = System.nanoTime();
                written = writeConcurrently(c, new int[] {leader, other}, n, 64);
                lastRev = written.maxRevision();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                StatusResponse ls = c.status(leader);
                System.out.printf("[snap10k] wrote %d keys (64 in flight) in %d ms (%.0f puts/s) with m%d frozen; "
                        + "leader m%d at raft index %d, revision %d, snapshots taken %s; %d failed attempts (retried): %s%n",
                        n, ms, n * 1000.0 / ms, lagging, leader, ls.getRaftIndex(), lastRev,
                        c.metrics(leader).get("keyline_snapshots_taken_total"), written.failedAttempts(),
                        written.errors());
            } finally {
                c.resume(lagging);
            }
            long t0 = System.nanoTime();
            awaitCaughtUp(c, lagging, leader, "/big/", n, lastRev, Duration.ofSeconds(90), "snap10k");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Map<String, Double> after = c.metrics(lagging);
            double installed = after.getOrDefault("keyline_snapshots_installed_total", -1.0);
            System.out.printf("[snap10k] CATCH-UP TIME: m%d caught up with %d puts %d ms after SIGCONT; "
                    + "keyline_snapshots_installed_total=%s (%s)%n", lagging, n, ms, installed,
                    installed > 0 ? "snapshot install" : "log replay");
            ClusterVerifier.converge(c, "/big/", "snap10k after catch-up");
            assertEquals(0, written.failedAttempts(), "puts failed while two of three members (a quorum) were up "
                    + "(each was retried and finally acknowledged): " + written.errors());
        }
    }

    /**
     * Forces the snapshot-install path: Ratis purges only closed log segments (Keyline rolls them at
     * 8 MB and purges every snapshot-count entries), so while a follower is frozen the others take
     * 70 MiB of 1 MiB values, one put per entry, and a few small puts after them; the leader then
     * purges the closed segments. With the leader's first retained log index past the follower's,
     * the follower can only catch up by installing a snapshot; it must then hold every key with the
     * right value and the leader's HashKV, and count the install in keyline_snapshots_installed_total.
     */
    @Test
    void pausedFollowerInstallsSnapshotAfterLeaderPurgedItsLog() {
        final int n = 70;
        try (KeylineCluster c = KeylineCluster.start("snapinstall", 3, FLAGS)) {
            int leader = c.leaderIndex();
            int lagging = c.someFollower(leader);
            int other = 3 - leader - lagging;
            long followerIndex = c.status(lagging).getRaftAppliedIndex();
            byte[] big = new byte[1 << 20];
            java.util.Arrays.fill(big, (byte) 'x');
            c.pause(lagging);
            long lastRev = 0;
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    big[0] = (byte) ('a' + i % 26);
                    big[1] = (byte) ('a' + i / 26);
                    PutResponse r = c.kv(i % 2 == 0 ? leader : other).withDeadlineAfter(20, TimeUnit.SECONDS)
                            .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(String.format("/inst/%03d", i)))
                                    .setValue(ByteString.copyFrom(big)).build());
                    lastRev = r.getHeader().getRevision();
                }
                // A few more entries after the last big one, so that a snapshot follows the last closed segment.
                int small = 0;
                long smallDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (small < 50 && System.nanoTime() < smallDeadline) {
                    for (int j = 0; j < 50; j++, small++) {
                        PutResponse r = c.kv(small % 2 == 0 ? leader : other).withDeadlineAfter(20, TimeUnit.SECONDS)
                                .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/filler/" + small))
                                        .setValue(ByteString.copyFromUtf8("f")).build());
                        lastRev = r.getHeader().getRevision();
                    }
                }
                System.out.printf("[snapinstall] plus %d small puts; leader m%d applied index %d%n", small, leader,
                        c.status(leader).getRaftAppliedIndex());
                System.out.printf("[snapinstall] wrote %d x 1 MiB in %d ms with m%d frozen (it was at applied index %d); "
                        + "leader m%d segments %s%n", n, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), lagging,
                        followerIndex, leader, c.raftSegments(leader));
            } finally {
                c.resume(lagging);
            }
            long firstRetained = firstLogIndex(c.raftSegments(leader));
            long t0 = System.nanoTime();
            awaitCaughtUp(c, lagging, leader, "/inst/", n, lastRev, Duration.ofSeconds(60), "snapinstall");
            ClusterVerifier.converge(c, "/filler/", "snapinstall filler keys");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            double installed = c.metrics(lagging).getOrDefault("keyline_snapshots_installed_total", -1.0);
            System.out.printf("[snapinstall] m%d caught up %d ms after SIGCONT; leader's first retained log index %d, "
                    + "follower was at %d; keyline_snapshots_installed_total=%s; follower segments now %s%n",
                    lagging, ms, firstRetained, followerIndex, installed, c.raftSegments(lagging));
            RangeResponse r = c.serializablePrefix(lagging, "/inst/", Duration.ofSeconds(30));
            assertEquals(n, r.getCount(), "keys on the caught-up member");
            for (io.keyline.api.mvccpb.KeyValue kv : r.getKvsList()) {
                int i = Integer.parseInt(kv.getKey().toStringUtf8().substring(6));
                ByteString v = kv.getValue();
                assertEquals(1 << 20, v.size(), kv.getKey().toStringUtf8() + " value size");
                assertEquals('a' + i % 26, v.byteAt(0), kv.getKey().toStringUtf8() + " value");
                assertEquals('a' + i / 26, v.byteAt(1), kv.getKey().toStringUtf8() + " value");
            }
            assertTrue(firstRetained > followerIndex + 1, "the leader kept its log from index " + firstRetained
                    + ", so the follower at " + followerIndex + " could catch up without a snapshot");
            assertTrue(installed > 0, "the leader purged its log past the follower (first retained index "
                    + firstRetained + ", follower at " + followerIndex + "), so the follower must have installed "
                    + "a snapshot, but keyline_snapshots_installed_total=" + installed);
            ClusterDurabilityTest.put(c, lagging, "/inst/after", "x", 15);
            ClusterVerifier.converge(c, "/inst/", "snapinstall after catch-up");
        }
    }

    /** The first index of the oldest segment, from names like log_12-345 or log_inprogress_346. */
    static long firstLogIndex(List<String> segments) {
        long min = Long.MAX_VALUE;
        for (String s : segments) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("log_(?:inprogress_)?(\\d+)").matcher(s);
            if (m.lookingAt()) {
                min = Math.min(min, Long.parseLong(m.group(1)));
            }
        }
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /** What {@link #writeConcurrently} saw: highest acknowledged revision and failed attempts by error. */
    record WriteResult(long maxRevision, long failedAttempts, Map<String, Long> errors) { }

    /**
     * Puts {@code n} small keys with {@code window} in flight, round-robin over {@code members}; a
     * failed put is retried (same key and value, next member) up to 10 times and counted.
     */
    static WriteResult writeConcurrently(KeylineCluster c, int[] members, int n, int window) {
        Semaphore slots = new Semaphore(window);
        AtomicLong maxRev = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        for (int i = 0; i < n && fatal.get() == null; i++) {
            slots.acquireUninterruptibly();
            PutRequest req = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(String.format("/big/%05d", i)))
                    .setValue(ByteString.copyFromUtf8("v" + i)).build();
            sendWithRetries(c, members, i, req, 0, slots, maxRev, failed, errors, fatal);
        }
        slots.acquireUninterruptibly(window);
        if (fatal.get() != null) {
            throw new AssertionError("a put failed 10 times: " + fatal.get() + "; all errors " + errors, fatal.get());
        }
        return new WriteResult(maxRev.get(), failed.get(), Map.copyOf(errors));
    }

    private static void sendWithRetries(KeylineCluster c, int[] members, int i, PutRequest req, int attempt,
            Semaphore slots, AtomicLong maxRev, AtomicLong failed, Map<String, Long> errors,
            AtomicReference<Throwable> fatal) {
        int m = members[(i + attempt) % members.length];
        Futures.addCallback(c.kvAsync(m).withDeadlineAfter(30, TimeUnit.SECONDS).put(req),
                new FutureCallback<PutResponse>() {
                    @Override
                    public void onSuccess(PutResponse r) {
                        maxRev.accumulateAndGet(r.getHeader().getRevision(), Math::max);
                        slots.release();
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        failed.incrementAndGet();
                        errors.merge("m" + m + " " + (m == members[0] ? "(leader)" : "(follower)") + ": "
                                + io.grpc.Status.fromThrowable(t), 1L, Long::sum);
                        if (attempt >= 9) {
                            fatal.compareAndSet(null, t);
                            slots.release();
                        } else {
                            sendWithRetries(c, members, i, req, attempt + 1, slots, maxRev, failed, errors, fatal);
                        }
                    }
                }, MoreExecutors.directExecutor());
    }

    /**
     * Waits until member {@code lagging} serves {@code expected} keys under {@code prefix} from its
     * own replica at (at least) {@code revision}, and its HashKV there equals the leader's. On timeout
     * the failure carries the member's status, metrics and log problems.
     */
    static void awaitCaughtUp(KeylineCluster c, int lagging, int leader, String prefix, int expected, long revision,
            Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "never answered";
        long lastProgress = -1;
        List<String> progress = new ArrayList<>();
        long start = System.nanoTime();
        while (true) {
            try {
                long rev = ClusterVerifier.localRevision(c, lagging);
                if (rev != lastProgress) {
                    progress.add((TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)) + "ms:rev" + rev);
                    lastProgress = rev;
                }
                if (rev >= revision) {
                    RangeResponse r = c.kv(lagging).withDeadlineAfter(10, TimeUnit.SECONDS).range(
                            io.keyline.api.etcdserverpb.RangeRequest.newBuilder()
                                    .setKey(ByteString.copyFromUtf8(prefix))
                                    .setRangeEnd(KeylineCluster.prefixEnd(ByteString.copyFromUtf8(prefix)))
                                    .setCountOnly(true).setSerializable(true).build());
                    HashKVResponse mine = c.hashKV(lagging, revision);
                    HashKVResponse theirs = c.hashKV(leader, revision);
                    if (r.getCount() == expected && mine.getHash() == theirs.getHash()) {
                        System.out.printf("[%s] m%d progress (revision by time since SIGCONT): %s%n", what, lagging,
                                progress.size() > 12 ? progress.subList(0, 6) + "..." + progress.subList(
                                        progress.size() - 6, progress.size()) : progress);
                        return;
                    }
                    last = "at revision " + rev + " with " + r.getCount() + " keys, HashKV(" + revision + ") "
                            + mine.getHash() + " vs leader's " + theirs.getHash();
                } else {
                    last = "at revision " + rev + " of " + revision;
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            String exit = c.exitInfo(lagging);
            if (exit != null || System.nanoTime() > deadline) {
                if (exit != null) {
                    last = last + "; THE MEMBER DIED: " + exit;
                }
                String status;
                try {
                    StatusResponse s = c.status(lagging);
                    status = "raft index " + s.getRaftIndex() + ", applied " + s.getRaftAppliedIndex()
                            + ", leader " + Long.toHexString(s.getLeader());
                } catch (RuntimeException e) {
                    status = e.toString();
                }
                String metrics;
                try {
                    metrics = c.metrics(lagging).entrySet().stream().filter(e -> e.getKey().startsWith("keyline_snap"))
                            .toList().toString();
                } catch (RuntimeException e) {
                    metrics = e.toString();
                }
                ServerProcess.sleep(500);
                String died = c.exitInfo(lagging);
                throw new AssertionError((died == null ? "" : "THE MEMBER DIED: " + died + "\n") + what + ": m" + lagging + " did not catch up (waited up to " + timeout + "): " + last
                        + "\nstatus: " + status + "\nmetrics: " + metrics + "\nprogress: " + progress
                        + "\nlog: " + c.logFile(lagging) + "\n--- its warnings/errors ---\n" + c.logProblems(lagging, 80)
                        + "\n--- its log tail ---\n" + c.logTail(lagging, 40)
                        + "\n--- leader m" + leader + " warnings/errors ---\n" + c.logProblems(leader, 30));
            }
            ServerProcess.sleep(100);
        }
    }

    /** Every key on the member with its own value, from its own replica. */
    static void verifyValues(KeylineCluster c, int member, int n) {
        RangeResponse r = c.serializablePrefix(member, "/snap/", Duration.ofSeconds(10));
        Map<String, String> got = new ConcurrentHashMap<>();
        r.getKvsList().forEach(kv -> got.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
        assertEquals(n, got.size(), "keys on the caught-up member");
        for (int i = 0; i < n; i++) {
            String k = String.format("/snap/%03d", i);
            assertEquals("value-" + i, got.get(k), k + " on the caught-up member m" + member);
        }
    }
}
