package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyline.api.etcdserverpb.Member;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.replication.proto.LogRequest;
import io.keyline.replication.proto.MemberDirectoryState;
import io.keyline.replication.proto.MembershipChange;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Membership changes through a real one-member Ratis group: applied, refused, and kept over a restart. */
class MemberDirectoryTest {
    @TempDir
    Path dir;

    private RaftNode node(int port) {
        return new RaftNode(new ReplicationConfig(7L, List.of(new ReplicationConfig.Peer(7L, "127.0.0.1", port)), 11L,
                dir.resolve("raft"), dir.resolve("kv"), 100_000, 5_000, 1_572_864));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Member member(long id, String name, int port, boolean learner) {
        return Member.newBuilder().setID(id).setName(name).addPeerURLs("http://127.0.0.1:" + port)
                .setIsLearner(learner).build();
    }

    private static MembershipChange add(Member m) {
        return MembershipChange.newBuilder().setAdd(m).build();
    }

    @Test
    void changesApplyInOrderRefusalsChangeNothingAndTheDirectorySurvivesARestart() throws Exception {
        int port = freePort();
        try (RaftNode node = node(port)) {
            node.start();
            node.write(LogRequest.newBuilder().setMembership(MembershipChange.newBuilder().setBootstrap(
                    MemberDirectoryState.newBuilder().addMembers(member(7, "self", port, false)))).build())
                    .get(30, TimeUnit.SECONDS);
            assertTrue(node.membershipBootstrapped());
            List<Member> after = node.changeMembership(add(member(9, "", 1, true))).get(30, TimeUnit.SECONDS);
            assertEquals(2, after.size());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> node.changeMembership(add(member(10, "", 2, true))).get(30, TimeUnit.SECONDS));
            assertEquals(EtcdError.TOO_MANY_LEARNERS, ((KeyspaceException) refused.getCause()).error());
            refused = assertThrows(ExecutionException.class, () -> node.changeMembership(
                    MembershipChange.newBuilder().setRemove(7).build()).get(30, TimeUnit.SECONDS));
            assertEquals(EtcdError.MEMBER_NOT_ENOUGH_STARTED, ((KeyspaceException) refused.getCause()).error());
            node.changeMembership(MembershipChange.newBuilder().setRemove(9).build()).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(7L), node.members().stream().map(Member::getID).toList());
        }
        try (RaftNode restarted = node(port)) {
            restarted.start();
            assertEquals(List.of(7L), restarted.members().stream().map(Member::getID).toList());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> restarted.changeMembership(
                    add(member(9, "", 3, false))).get(30, TimeUnit.SECONDS));
            assertEquals(EtcdError.MEMBER_NOT_FOUND, ((KeyspaceException) refused.getCause()).error(),
                    "a removed id never comes back");
        }
    }
}
