package io.keyline.replication;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.netty.NettyFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.CommitPushingLogAppender;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis' Netty transport with {@link CommitPushingLogAppender} as the leader's appender. Ratis finds an RPC
 * type by name, and builds one from a class name with a no-argument constructor.
 */
public final class CommitPushingRpc implements RpcType {
    @Override
    public String name() {
        return CommitPushingRpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new NettyFactory(parameters) {
            @Override
            public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
                return new CommitPushingLogAppender(server, state, follower);
            }
        };
    }
}
