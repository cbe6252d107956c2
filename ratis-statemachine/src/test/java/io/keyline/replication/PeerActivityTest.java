package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.ratis.proto.RaftProtos.LeaderInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class PeerActivityTest {
    private final PeerActivity activity = new PeerActivity(null, null);

    @Test
    void aFollowerThatHasNotAnsweredTheNewLeaderYetIsNotReportedInactive() {
        assertEquals(List.of(), activity.check(leaderSeeing("f1", 2042)));
        assertEquals(List.of(), activity.check(leaderSeeing("f1", 20)));
    }

    @Test
    void aFollowerThatStopsAnsweringIsReportedOnceEachWay() {
        assertEquals(List.of(), activity.check(leaderSeeing("f1", 20)));
        assertEquals(List.of("peer f1 became inactive (no reply to the leader for 1600 ms)"),
                activity.check(leaderSeeing("f1", 1600)));
        assertEquals(List.of(), activity.check(leaderSeeing("f1", 2100)));
        assertEquals(List.of("peer f1 became active"), activity.check(leaderSeeing("f1", 30)));
        assertEquals(List.of(), activity.check(leaderSeeing("f1", 30)));
    }

    @Test
    void aMemberThatLeadsAgainJudgesItsFollowersAfresh() {
        activity.check(leaderSeeing("f1", 20));
        activity.check(RoleInfoProto.getDefaultInstance());
        assertEquals(List.of(), activity.check(leaderSeeing("f1", 3000)));
    }

    private static RoleInfoProto leaderSeeing(String follower, long silentMs) {
        return RoleInfoProto.newBuilder().setLeaderInfo(LeaderInfoProto.newBuilder().addFollowerInfo(
                ServerRpcProto.newBuilder().setId(RaftPeerProto.newBuilder().setId(ByteString.copyFromUtf8(follower)))
                        .setLastRpcElapsedTimeMs(silentMs))).build();
    }
}
