package io.keyline.replication;

import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.netty.NettyFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.EventLoopLogAppender;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.thirdparty.io.netty.channel.EventLoopGroup;
import org.apache.ratis.thirdparty.io.netty.channel.epoll.Epoll;
import org.apache.ratis.thirdparty.io.netty.channel.epoll.EpollEventLoopGroup;
import org.apache.ratis.thirdparty.io.netty.channel.nio.NioEventLoopGroup;
import org.apache.ratis.thirdparty.io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Ratis' Netty transport with {@link EventLoopLogAppender} as the leader's appender. Ratis finds an RPC
 * type by name, and builds one from a class name with a no-argument constructor.
 */
public final class EventLoopAppenderRpc implements RpcType {
    /** One loop thread for every appender of the process: a leader's appenders each send a few small messages per write. */
    private static final class AppenderLoop {
        static final EventLoopGroup GROUP = Epoll.isAvailable()
                ? new EpollEventLoopGroup(1, new DefaultThreadFactory("keyline-appender", true))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("keyline-appender", true));
    }

    @Override
    public String name() {
        return EventLoopAppenderRpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new NettyFactory(parameters) {
            @Override
            public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
                // As Ratis' own appender: a follower that does not answer within the request timeout is retried.
                long timeoutMs = RaftClientConfigKeys.Rpc.requestTimeout(server.getRaftServer().getProperties())
                        .toLong(TimeUnit.MILLISECONDS);
                FollowerConnection connection = new FollowerConnection(AppenderLoop.GROUP, follower.getPeer().getAddress(), timeoutMs);
                return new EventLoopLogAppender(server, state, follower, connection);
            }
        };
    }
}
