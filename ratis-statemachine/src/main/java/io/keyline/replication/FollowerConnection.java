package io.keyline.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.netty.NettyRpcProxy;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerReplyProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerRequestProto;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.thirdparty.io.netty.bootstrap.Bootstrap;
import org.apache.ratis.thirdparty.io.netty.channel.Channel;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelFuture;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelHandlerContext;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelInitializer;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelOption;
import org.apache.ratis.thirdparty.io.netty.channel.EventLoop;
import org.apache.ratis.thirdparty.io.netty.channel.EventLoopGroup;
import org.apache.ratis.thirdparty.io.netty.channel.SimpleChannelInboundHandler;
import org.apache.ratis.thirdparty.io.netty.channel.socket.SocketChannel;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufDecoder;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufEncoder;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import org.apache.ratis.thirdparty.io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import org.apache.ratis.util.NetUtils;
import org.apache.ratis.util.NettyUtils;
import org.apache.ratis.util.ProtoUtils;

/**
 * The leader's connection to one follower's Ratis Netty server, owned by one event loop: a request is
 * written and its answer handled on that loop's thread, so the leader's appender needs no thread of its
 * own between a follower's answer and the next request. Every method but {@link #close()} runs on
 * {@link #loop()}. It reconnects on the next request after the connection fails.
 */
public final class FollowerConnection {
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final String address;
    private final long timeoutMs;
    private final Map<Long, CompletableFuture<RaftNettyServerReplyProto>> pending = new HashMap<>();
    private ChannelFuture channel;
    private boolean closed;

    public FollowerConnection(EventLoopGroup group, String address, long timeoutMs) {
        this.group = group;
        this.loop = group.next();
        this.address = address;
        this.timeoutMs = timeoutMs;
    }

    public EventLoop loop() {
        return loop;
    }

    /** Sends a request; the answer (or its failure, or the timeout) completes on the loop's thread. */
    public CompletableFuture<RaftNettyServerReplyProto> send(long callId, RaftNettyServerRequestProto request) {
        CompletableFuture<RaftNettyServerReplyProto> reply = new CompletableFuture<>();
        if (closed) {
            reply.completeExceptionally(new AlreadyClosedException("connection to " + address + " is closed"));
            return reply;
        }
        pending.put(callId, reply);
        var timer = loop.schedule(() -> fail(callId, new TimeoutIOException(
                "no answer from " + address + " in " + timeoutMs + " ms to call " + callId)), timeoutMs, TimeUnit.MILLISECONDS);
        reply.whenComplete((r, e) -> timer.cancel(false));
        // Runs at once, on this thread, once connected (a listener on a done future of this loop is called inline).
        ChannelFuture connected = connection();
        connected.addListener(f -> {
            if (f.isSuccess()) {
                write(connected.channel(), callId, request);
            } else {
                fail(callId, new IOException("cannot connect to " + address, f.cause()));
            }
        });
        return reply;
    }

    /** Fails what is outstanding and drops the connection; later requests fail at once. */
    public void close() {
        loop.execute(() -> {
            closed = true;
            ChannelFuture open = channel;
            channel = null;
            if (open != null) {
                open.channel().close();
            }
            failAll(new AlreadyClosedException("connection to " + address + " is closed"));
        });
    }

    private ChannelFuture connection() {
        if (channel == null) {
            ChannelFuture c = new Bootstrap()
                    .group(loop)
                    .channel(NettyUtils.getSocketChannelClass(group))
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeoutMs, Integer.MAX_VALUE))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ProtobufVarint32FrameDecoder(),
                                    new ProtobufDecoder(RaftNettyServerReplyProto.getDefaultInstance()),
                                    new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder(), new Answers());
                        }
                    })
                    .connect(NetUtils.createSocketAddr(address));
            channel = c;
            c.channel().closeFuture().addListener(f -> lost(c));
        }
        return channel;
    }

    private void write(Channel ch, long callId, RaftNettyServerRequestProto request) {
        ch.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                fail(callId, new IOException("cannot write to " + address, f.cause()));
                ch.close();
            }
        });
    }

    private void lost(ChannelFuture c) {
        if (channel == c) {
            channel = null;
            failAll(new IOException("connection to " + address + " closed"));
        }
    }

    private void fail(long callId, Throwable cause) {
        CompletableFuture<RaftNettyServerReplyProto> reply = pending.remove(callId);
        if (reply != null) {
            reply.completeExceptionally(cause);
        }
    }

    private void failAll(Throwable cause) {
        List<CompletableFuture<RaftNettyServerReplyProto>> all = new ArrayList<>(pending.values());
        pending.clear();
        all.forEach(r -> r.completeExceptionally(cause));
    }

    private final class Answers extends SimpleChannelInboundHandler<RaftNettyServerReplyProto> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RaftNettyServerReplyProto answer) {
            CompletableFuture<RaftNettyServerReplyProto> reply = pending.remove(NettyRpcProxy.getCallId(answer));
            if (reply == null) {
                return;
            }
            if (answer.getRaftNettyServerReplyCase() == RaftNettyServerReplyProto.RaftNettyServerReplyCase.EXCEPTIONREPLY) {
                reply.completeExceptionally((IOException) ProtoUtils.toObject(answer.getExceptionReply().getException()));
            } else {
                reply.complete(answer);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
