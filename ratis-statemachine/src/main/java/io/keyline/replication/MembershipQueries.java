package io.keyline.replication;

import io.keyline.replication.proto.MemberDirectoryState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Read-only questions about membership, asked through Ratis' linearizable read path so that the
 * leader answers them: the member directory (for a member joining with
 * {@code --initial-cluster-state existing}), whether a learner has caught up (etcd's
 * isLearnerReady) and whether every voter is connected (etcd's check before a member add), which
 * only the leader can judge.
 */
final class MembershipQueries {
    static final ByteString PREFIX = ByteString.copyFromUtf8("membership/");
    static final Message MEMBERS = Message.valueOf(PREFIX.concat(ByteString.copyFromUtf8("members")));
    private static final ByteString LEARNER_READY = PREFIX.concat(ByteString.copyFromUtf8("learner-ready/"));
    static final Message VOTERS_CONNECTED = Message.valueOf(PREFIX.concat(ByteString.copyFromUtf8("voters-connected")));
    /** etcd's readyPercent: a learner within 90% of the leader's log may be promoted. */
    static final double READY_FRACTION = 0.9;

    @FunctionalInterface
    interface DivisionSource {
        RaftServer.Division get() throws IOException;
    }

    private MembershipQueries() {
    }

    static Message learnerReady(long memberId) {
        return Message.valueOf(LEARNER_READY.concat(ByteString.copyFrom(
                ByteBuffer.allocate(Long.BYTES).putLong(0, memberId))));
    }

    static CompletableFuture<Message> answer(Message request, MemberDirectory members, DivisionSource division) {
        ByteString content = request.getContent();
        try {
            if (content.startsWith(LEARNER_READY)) {
                long id = content.substring(LEARNER_READY.size()).asReadOnlyByteBuffer().getLong();
                return flag(isCaughtUp(division.get(), members, id));
            }
            if (content.equals(VOTERS_CONNECTED.getContent())) {
                return flag(votersConnected(division.get(), members));
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        MemberDirectoryState state = MemberDirectoryState.newBuilder().addAllMembers(members.members()).build();
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(state.toByteArray())));
    }

    private static CompletableFuture<Message> flag(boolean yes) {
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(new byte[] {(byte) (yes ? 1 : 0)})));
    }

    /**
     * etcd adds a member only while the member asked is connected to every voting member. Here the
     * leader judges: every voting member of the directory is a voter of the Raft configuration (one
     * added but never started is not) and has answered the leader lately (as {@link PeerActivity}
     * counts a peer active). A member that is not the leader answers no.
     */
    private static boolean votersConnected(RaftServer.Division division, MemberDirectory members) {
        RoleInfoProto role = division.getInfo().getRoleInfoProto();
        if (!role.hasLeaderInfo()) {
            return false;
        }
        Set<String> active = role.getLeaderInfo().getFollowerInfoList().stream().filter(PeerActivity::active)
                .map(f -> f.getId().getId().toStringUtf8()).collect(Collectors.toSet());
        return members.members().stream().filter(m -> !m.getIsLearner()).map(m -> RaftNode.peerId(m.getID()))
                .allMatch(peer -> peer.equals(division.getId())
                        || division.getRaftConf().getPeer(peer, RaftPeerRole.FOLLOWER) != null
                        && active.contains(peer.toString()));
    }

    /**
     * etcd answers "ready" for an id that is no learner (a voter, an unknown id) and lets the
     * directory refuse it; a learner is ready once it has joined the Raft group as a listener and
     * its log is within 90% of the leader's (one that never started is not).
     */
    private static boolean isCaughtUp(RaftServer.Division division, MemberDirectory members, long memberId) {
        if (members.get(memberId).filter(m -> m.getIsLearner()).isEmpty()) {
            return true;
        }
        RaftPeerId peer = RaftNode.peerId(memberId);
        if (division.getRaftConf().getPeer(peer, RaftPeerRole.LISTENER) == null) {
            return false;
        }
        long leaderIndex = -1;
        long learnerIndex = -1;
        for (CommitInfoProto info : division.getCommitInfos()) {
            String id = info.getServer().getId().toString(StandardCharsets.UTF_8);
            if (id.equals(division.getId().toString())) {
                leaderIndex = info.getCommitIndex();
            } else if (id.equals(peer.toString())) {
                learnerIndex = info.getCommitIndex();
            }
        }
        return learnerIndex >= 0 && learnerIndex >= leaderIndex * READY_FRACTION;
    }
}
