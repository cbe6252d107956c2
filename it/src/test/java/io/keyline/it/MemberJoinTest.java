package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A fourth member added as a learner with etcdctl member add and started with {@code
 * --initial-cluster-state existing} catches up on everything written before it existed (with a
 * tiny snapshot interval, so it must be sent a snapshot: the log before it is gone), answers as an
 * etcd learner, is promoted, and then counts in the quorum at once: with the leader killed, the
 * other members elect a new one and writes still commit, which with four voters needs the new
 * one's vote. It also restarts from its own data dir.
 */
class MemberJoinTest {
    static final String[] FLAGS = {"--snapshot-count=20", "--experimental-snapshot-catchup-entries=5"};
    private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]*)\"");

    @Test
    void memberStartedWithExistingStateServesEveryEarlierKeyAndJoinsTheQuorum() {
        try (KeylineCluster c = KeylineCluster.start("join", 3, FLAGS)) {
            int keys = 150;
            for (int i = 0; i < keys; i++) {
                c.kv(i % 3).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8(String.format("/join/%03d", i)))
                        .setValue(ByteString.copyFromUtf8("v" + i)).build());
            }
            int joiner = c.reserveMember();
            Etcdctl.Result added = c.etcdctl(0).run("member", "add", c.name(joiner), "--peer-urls=" + c.peerUrl(joiner),
                    "--learner");
            assertEquals(0, added.exitCode(), added.toString());
            Matcher ic = INITIAL_CLUSTER.matcher(added.stdout());
            assertTrue(ic.find(), added.toString());

            long start = System.nanoTime();
            c.startJoining(joiner, ic.group(1));
            RangeResponse seen = awaitKeys(c, joiner, keys);
            System.out.printf("[join] the fourth member served all %d earlier keys %d ms after its start; "
                    + "snapshots installed on it: %s, sent by the leader: %s%n", keys,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    c.metrics(joiner).get("keyline_snapshots_installed_total"),
                    c.metrics(c.leaderIndex()).get("keyline_snapshots_sent_total"));
            assertEquals(keys, seen.getKvsCount());
            assertTrue(c.metrics(joiner).get("keyline_snapshots_installed_total") >= 1,
                    "the log before the new member was purged: it must have installed a snapshot");
            double sent = 0;
            for (int i : c.available()) {
                sent += c.metrics(i).getOrDefault("keyline_snapshots_sent_total", 0.0);
            }
            assertTrue(sent >= 1, "no member counted the snapshot it sent");
            assertEquals("v0", seen.getKvs(0).getValue().toStringUtf8());

            Etcdctl.Result list = c.etcdctl(0).run("member", "list");
            assertTrue(list.stdout().contains(", started, " + c.name(joiner) + ", " + c.peerUrl(joiner) + ", "
                    + c.clientUrl(joiner) + ", true"), list.toString());
            Etcdctl.Result onLearner = c.etcdctl(joiner).run("get", "/join/000");
            assertTrue(onLearner.stderr().contains("etcdserver: rpc not supported for learner"), onLearner.toString());

            long newId = Long.parseUnsignedLong(added.stdout().replaceAll("(?s)^Member +([0-9a-f]+) added.*", "$1"), 16);
            Etcdctl.Result promoted = promote(c, newId);
            assertTrue(promoted.stdout().contains("promoted in cluster"), promoted.toString());

            awaitVoters(c, c.leaderIndex(), 4);
            awaitVoters(c, joiner, 4);
            // Kill the leader (or, if the new member leads, an original member): with 3 of 4 voters
            // left, an election needs the promoted member's vote.
            int leaderBefore = c.leaderIndex();
            int victim = leaderBefore == joiner ? 2 : leaderBefore;
            int survivor = victim == 0 ? 1 : 0;
            c.kill9(victim);
            long killed = System.nanoTime();
            int leaderAfter = c.leaderIndex(Duration.ofSeconds(45));
            long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf("[join] member %d led, was killed; member %d leads %d ms later%n", victim, leaderAfter,
                    electedMs);
            Etcdctl.Result put = c.etcdctl(survivor).runWithTimeout(Duration.ofSeconds(30), "--command-timeout=20s",
                    "put", "/join/quorum", "needs-the-new-member");
            assertEquals(0, put.exitCode(), "a write with 3 of 4 voters up must commit: " + put);
            RangeResponse onJoiner = awaitKeys(c, joiner, keys + 1);
            assertEquals(keys + 1, onJoiner.getKvsCount());

            c.restart(joiner);
            c.leaderIndex(Duration.ofSeconds(45));
            Etcdctl.Result after = c.etcdctl(joiner).runWithTimeout(Duration.ofSeconds(30), "--command-timeout=20s",
                    "put", "/join/restarted", "from-the-new-member");
            assertEquals(0, after.exitCode(), "the new member restarted from its own data dir: " + after);
            assertEquals(keys + 2, awaitKeys(c, survivor, keys + 2).getKvsCount());
        }
    }

    /** etcd promotes a learner only once it is in sync; it is, a moment after it caught up. */
    private static Etcdctl.Result promote(KeylineCluster c, long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Etcdctl.Result r;
        do {
            r = c.etcdctl(0).run("member", "promote", Long.toHexString(id));
            if (r.exitCode() == 0 || !r.stderr().contains("in sync with leader")) {
                return r;
            }
            ServerProcess.sleep(500);
        } while (System.nanoTime() < deadline);
        return r;
    }

    /** The Raft configuration member i knows has this many voters (the promotion has reached it). */
    private static void awaitVoters(KeylineCluster c, int member, int voters) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Double seen = c.metrics(member).get("keyline_raft_voters");
            if (seen != null && seen.intValue() == voters) {
                return;
            }
            ServerProcess.sleep(300);
        }
        throw new AssertionError("member " + member + " never saw " + voters + " voters in its Raft configuration");
    }

    private static RangeResponse awaitKeys(KeylineCluster c, int member, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        RangeResponse r = null;
        while (System.nanoTime() < deadline) {
            try {
                r = c.serializablePrefix(member, "/join/", Duration.ofSeconds(5));
                if (r.getKvsCount() >= expected) {
                    return r;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            ServerProcess.sleep(200);
        }
        throw new AssertionError("member " + member + " has " + (r == null ? "no answer" : r.getKvsCount() + " keys")
                + ", expected " + expected + "; metrics " + metricsOrNothing(c, member));
    }

    private static Map<String, Double> metricsOrNothing(KeylineCluster c, int member) {
        try {
            return c.metrics(member);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
