package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.MemberAddRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The same etcdctl member and endpoint commands against a real 3-member etcd 3.4 cluster and a
 * 3-member Keyline cluster, compared after {@link ClusterMask}: list, add (learner and voter),
 * promote, update, remove (a learner, unstarted voters, the leader), endpoint status and health
 * over the cluster, and etcd's errors for bad member operations, which must change nothing.
 * Both clusters first move their leadership to member 0, so that "the leader" is the same member.
 * A second scenario adds members while a voter is killed, and again once it is back.
 */
class ClusterMembershipDifferentialTest {

    /** One cluster under test with what the scenario learned about it. */
    static final class Side {
        final String kind;
        final KeylineCluster c;
        final ClusterMask mask;
        final List<String> newPeers = new ArrayList<>();
        long learner;
        final List<Long> voters = new ArrayList<>();

        Side(String kind, KeylineCluster c) {
            this.kind = kind;
            this.c = c;
            this.mask = new ClusterMask(c);
            for (int port : KeylineCluster.freePorts(5)) {
                String url = "http://127.0.0.1:" + port;
                mask.port(url, "new-peer-" + newPeers.size());
                newPeers.add(url);
            }
        }

        String hex(int member) {
            return Long.toHexString(c.memberId(member));
        }

        long revision(int member) {
            return c.kv(member).withDeadlineAfter(10, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).build()).getHeader().getRevision();
        }
    }

    private final List<String> mismatches = new ArrayList<>();

    private Etcdctl.Result[] both(Side etcd, Side keyline, String what, int endpoint, Function<Side, String[]> args) {
        return compare(etcd, keyline, what, etcd.c.etcdctl(endpoint).run(args.apply(etcd)),
                keyline.c.etcdctl(endpoint).run(args.apply(keyline)));
    }

    /**
     * etcd refuses every member add with "unhealthy cluster" until each voter has been connected to
     * the receiving member for its 5 s health interval, which a loaded machine can reset by dropping
     * a peer stream. The first add waits that out, on either side, so what is compared is the add.
     */
    private Etcdctl.Result[] bothOnceHealthy(Side etcd, Side keyline, String what, int endpoint,
            Function<Side, String[]> args) {
        return compare(etcd, keyline, what, runOnceHealthy(etcd, endpoint, args.apply(etcd)),
                runOnceHealthy(keyline, endpoint, args.apply(keyline)));
    }

    private static Etcdctl.Result runOnceHealthy(Side s, int endpoint, String[] args) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Etcdctl.Result r = s.c.etcdctl(endpoint).run(args);
        while (r.exitCode() != 0 && r.stderr().contains("unhealthy cluster") && System.nanoTime() < deadline) {
            ServerProcess.sleep(500);
            r = s.c.etcdctl(endpoint).run(args);
        }
        return r;
    }

    private Etcdctl.Result[] compare(Side etcd, Side keyline, String what, Etcdctl.Result a, Etcdctl.Result b) {
        String ea = etcd.mask.apply(a);
        String kb = keyline.mask.apply(b);
        if (!ea.equals(kb)) {
            mismatches.add("MISMATCH " + what + "\n=== etcd ===\n" + ea + "\n=== keyline ===\n" + kb + "\n");
        }
        return new Etcdctl.Result[] {a, b};
    }

    /**
     * etcd's follower answers its own removal with the new list only if it hears that the removal
     * committed; its leader stops sending to it once it applies the removal, and a loaded machine can
     * let that win, so the follower learns it was removed from its peers and answers "server stopped".
     * That branch of etcd's race is not compared; Keyline must still give etcd's usual answer.
     */
    private void followerRemovesItself(Side etcd, Side keyline) {
        String what = "a follower removes itself";
        Etcdctl.Result e = etcd.c.etcdctl(2).run("member", "remove", etcd.hex(2));
        Etcdctl.Result k = keyline.c.etcdctl(2).run("member", "remove", keyline.hex(2));
        if (e.exitCode() != 0 && e.stderr().contains("etcdserver: server stopped")) {
            System.out.println("[membership] " + what + ": etcd's follower stopped before it heard its removal"
                    + " committed; Keyline answered: " + keyline.mask.apply(k).strip());
            if (k.exitCode() != 0 || !k.stdout().contains("removed from cluster")) {
                mismatches.add("MISMATCH " + what + ": Keyline did not answer with the new list\n"
                        + keyline.mask.apply(k));
            }
            return;
        }
        compare(etcd, keyline, what, e, k);
    }

    private Etcdctl.Result[] both(Side etcd, Side keyline, String what, String... args) {
        return both(etcd, keyline, what, 1, s -> args);
    }

    private static void leaderTo(Side s, int member) {
        int leader = s.c.leaderIndex();
        if (leader != member) {
            Etcdctl.Result r = s.c.etcdctl(leader).run("move-leader", s.hex(member));
            assertEquals(0, r.exitCode(), s.kind + " move-leader: " + r);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.c.leaderIndex() != member) {
            assertTrue(System.nanoTime() < deadline, s.kind + ": member " + member + " never became the leader");
            ServerProcess.sleep(200);
        }
    }

    @Test
    void memberCommandsAndTheirErrorsAnswerAsEtcdDoes() {
        try (KeylineCluster etcdCluster = KeylineCluster.startEtcd("members-etcd", 3);
             KeylineCluster keylineCluster = KeylineCluster.start("members-keyline", 3)) {
            Side etcd = new Side("etcd", etcdCluster);
            Side keyline = new Side("keyline", keylineCluster);
            for (Side s : List.of(etcd, keyline)) {
                leaderTo(s, 0);
                assertEquals(0, s.c.etcdctl(0).run("put", "k", "v").exitCode());
            }
            both(etcd, keyline, "member list", "member", "list");
            both(etcd, keyline, "member list -w table", "member", "list", "-w", "table");
            both(etcd, keyline, "endpoint status --cluster", "endpoint", "status", "--cluster");
            both(etcd, keyline, "endpoint health --cluster", "endpoint", "health", "--cluster");

            long etcdRevision = etcd.revision(0);
            long keylineRevision = keyline.revision(0);
            Etcdctl.Result[] added = bothOnceHealthy(etcd, keyline, "member add --learner", 1,
                    s -> new String[] {"member", "add", "learner", "--peer-urls=" + s.newPeers.get(0), "--learner"});
            etcd.learner = ClusterMask.addedId(added[0]);
            keyline.learner = ClusterMask.addedId(added[1]);
            both(etcd, keyline, "member list with an unstarted learner", "member", "list");
            both(etcd, keyline, "a second learner", 1,
                    s -> new String[] {"member", "add", "second", "--peer-urls=" + s.newPeers.get(1), "--learner"});
            both(etcd, keyline, "an existing member's peer URL", 1,
                    s -> new String[] {"member", "add", "dup", "--peer-urls=" + s.c.peerUrl(2)});
            both(etcd, keyline, "remove an unknown id", "member", "remove", "1234");
            both(etcd, keyline, "update an unknown id", "member", "update", "1234", "--peer-urls=http://127.0.0.1:1");
            both(etcd, keyline, "update onto another member's peer URL", 1,
                    s -> new String[] {"member", "update", s.hex(1), "--peer-urls=" + s.c.peerUrl(2)});
            both(etcd, keyline, "promote a voter", 1, s -> new String[] {"member", "promote", s.hex(1)});
            both(etcd, keyline, "promote an unknown id", "member", "promote", "1234");
            both(etcd, keyline, "promote a learner that never started", 1,
                    s -> new String[] {"member", "promote", Long.toHexString(s.learner)});
            String badUrl = "MemberAdd with a peer URL without a port";
            String etcdBad = grpcError(() -> etcd.c.cluster(1).memberAdd(
                    MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.1").build()));
            String keylineBad = grpcError(() -> keyline.c.cluster(1).memberAdd(
                    MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.1").build()));
            if (!etcdBad.equals(keylineBad)) {
                mismatches.add("MISMATCH " + badUrl + "\n=== etcd ===\n" + etcdBad + "\n=== keyline ===\n" + keylineBad);
            }
            assertEquals(etcdRevision, etcd.revision(0), "etcd's revision moved");
            assertEquals(keylineRevision, keyline.revision(0), "a refused member change touched the keyspace");

            both(etcd, keyline, "update the learner's peer URLs", 1, s -> new String[] {"member", "update",
                    Long.toHexString(s.learner), "--peer-urls=" + s.newPeers.get(2)});
            // etcd 3.4 drops the learner flag when it updates a learner's peer URLs (its raft still
            // treats it as a learner); Keyline keeps the member a learner, as etcd 3.5 does.
            Etcdctl.Result afterUpdate = keyline.c.etcdctl(1).run("member", "list");
            assertTrue(afterUpdate.stdout().contains(keyline.newPeers.get(2) + ", , true"), afterUpdate.toString());
            both(etcd, keyline, "remove the learner", 1,
                    s -> new String[] {"member", "remove", Long.toHexString(s.learner)});
            both(etcd, keyline, "remove it again", 1,
                    s -> new String[] {"member", "remove", Long.toHexString(s.learner)});
            for (int i = 0; i < 3; i++) {
                int peer = 2 + i;
                Etcdctl.Result[] voter = both(etcd, keyline, "add unstarted voter " + i, 1, s -> new String[] {
                        "member", "add", "voter" + peer, "--peer-urls=" + s.newPeers.get(peer)});
                if (voter[0].exitCode() == 0) {
                    etcd.voters.add(ClusterMask.addedId(voter[0]));
                }
                if (voter[1].exitCode() == 0) {
                    keyline.voters.add(ClusterMask.addedId(voter[1]));
                }
            }
            // etcd checks that every voter is connected for learners too: an unstarted voter is not
            both(etcd, keyline, "a learner while a voter has not started", 1, s -> new String[] {
                    "member", "add", "late-learner", "--peer-urls=" + s.newPeers.get(1), "--learner"});
            both(etcd, keyline, "member list with unstarted voters", "member", "list");
            for (Side s : List.of(etcd, keyline)) {
                for (long v : s.voters) {
                    Etcdctl.Result r = s.c.etcdctl(1).run("member", "remove", Long.toHexString(v));
                    assertEquals(0, r.exitCode(), s.kind + " removing an unstarted voter: " + r);
                }
            }

            both(etcd, keyline, "remove the leader", 1, s -> new String[] {"member", "remove", s.hex(0)});
            for (Side s : List.of(etcd, keyline)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (s.c.isRunning(0) && System.nanoTime() < deadline) {
                    ServerProcess.sleep(200);
                }
                assertFalse(s.c.isRunning(0), s.kind + ": the removed leader still runs");
            }
            awaitHealthy(etcd, 1);
            awaitHealthy(keyline, 1);
            both(etcd, keyline, "member list without the old leader", "member", "list");
            both(etcd, keyline, "a write after the leader's removal", "put", "k", "after");
            both(etcd, keyline, "read it back", "get", "k");
            // etcd answers a follower that removes itself with the new list (it applies its removal, then
            // stops) and a leader with "server stopped": the member must have the same role on both sides.
            for (Side s : List.of(etcd, keyline)) {
                leaderTo(s, 1);
            }
            followerRemovesItself(etcd, keyline);
            both(etcd, keyline, "remove the last voter", 1, s -> new String[] {"member", "remove", s.hex(1)});
            awaitHealthy(etcd, 1);
            awaitHealthy(keyline, 1);
            both(etcd, keyline, "the last member still writes", "put", "k", "alone");
        }
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
        }
    }

    /**
     * etcd adds no member, not even a learner, while a voter is down: "unhealthy cluster", and nothing
     * changes. Once the voter is back the same add goes through (after etcd's 5 s health interval).
     */
    @Test
    void memberAddWaitsForADownVoterAsEtcdDoes() {
        Etcdctl.Result[] added;
        try (KeylineCluster etcdCluster = KeylineCluster.startEtcd("adddown-etcd", 3);
             KeylineCluster keylineCluster = KeylineCluster.start("adddown-keyline", 3)) {
            Side etcd = new Side("etcd", etcdCluster);
            Side keyline = new Side("keyline", keylineCluster);
            for (Side s : List.of(etcd, keyline)) {
                leaderTo(s, 0);
                s.c.kill9(2);
            }
            // Keyline's leader counts a follower gone after 1.5 s without an answer; etcd's at once.
            ServerProcess.sleep(3_000);
            both(etcd, keyline, "a learner while a voter is down", 1, s -> new String[] {
                    "member", "add", "learner", "--peer-urls=" + s.newPeers.get(0), "--learner"});
            both(etcd, keyline, "a voter while a voter is down", 1, s -> new String[] {
                    "member", "add", "voter", "--peer-urls=" + s.newPeers.get(1)});
            both(etcd, keyline, "member list after the refused adds", "member", "list");
            for (Side s : List.of(etcd, keyline)) {
                s.c.restart(2);
            }
            added = bothOnceHealthy(etcd, keyline, "the learner once the voter is back", 1,
                    s -> new String[] {"member", "add", "learner", "--peer-urls=" + s.newPeers.get(0), "--learner"});
        }
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " mismatches:\n" + String.join("\n", mismatches));
        }
        assertEquals(0, added[1].exitCode(), "the add never went through once the voter was back: " + added[1]);
    }

    /** After a leader leaves, the rest elect one; etcd answers "request timed out" until then. */
    private static void awaitHealthy(Side s, int member) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Etcdctl.Result r;
        do {
            r = s.c.etcdctl(member).run("endpoint", "health");
            if (r.exitCode() == 0) {
                return;
            }
            ServerProcess.sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(s.kind + " member " + member + " never became healthy: " + r);
    }

    private static String grpcError(Runnable call) {
        try {
            call.run();
            return "no error";
        } catch (RuntimeException e) {
            return DifferentialPair.renderError(e);
        }
    }
}
