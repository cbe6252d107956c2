package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcReplyProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerReplyProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerRequestProto;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.thirdparty.io.netty.channel.EventLoopGroup;
import org.apache.ratis.thirdparty.io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a plain socket that speaks Ratis' Netty framing (varint-delimited protobuf), as a follower does. */
class FollowerConnectionTest {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ServerSocket follower = newServerSocket();

    @AfterEach
    void stop() throws Exception {
        follower.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void anAnswerCompletesTheCallItNames() throws Exception {
        FollowerConnection connection = connection(5_000);
        CompletableFuture<RaftNettyServerReplyProto> first = send(connection, 7);
        CompletableFuture<RaftNettyServerReplyProto> second = send(connection, 8);
        try (Socket s = follower.accept()) {
            assertEquals(7, callId(read(s)));
            assertEquals(8, callId(read(s)));
            answer(s, 8);
            assertEquals(8, answeredCall(second.get(5, TimeUnit.SECONDS)));
            assertFalse(first.isDone());
            answer(s, 7);
            assertEquals(7, answeredCall(first.get(5, TimeUnit.SECONDS)));
        }
    }

    @Test
    void aLostConnectionFailsItsCallAndTheNextCallReconnects() throws Exception {
        FollowerConnection connection = connection(5_000);
        CompletableFuture<RaftNettyServerReplyProto> lost = send(connection, 1);
        try (Socket s = follower.accept()) {
            read(s);
        }
        assertInstanceOf(IOException.class, failure(lost));
        CompletableFuture<RaftNettyServerReplyProto> next = send(connection, 2);
        try (Socket s = follower.accept()) {
            assertEquals(2, callId(read(s)));
            answer(s, 2);
            assertEquals(2, answeredCall(next.get(5, TimeUnit.SECONDS)));
        }
    }

    @Test
    void aFollowerThatNeverAnswersFailsTheCallAfterTheTimeout() throws Exception {
        FollowerConnection connection = connection(300);
        CompletableFuture<RaftNettyServerReplyProto> call = send(connection, 3);
        try (Socket s = follower.accept()) {
            read(s);
            assertInstanceOf(TimeoutIOException.class, failure(call));
        }
    }

    @Test
    void closingFailsTheOutstandingCallAndEveryLaterOne() throws Exception {
        FollowerConnection connection = connection(5_000);
        CompletableFuture<RaftNettyServerReplyProto> call = send(connection, 4);
        try (Socket s = follower.accept()) {
            read(s);
            connection.close();
            assertInstanceOf(AlreadyClosedException.class, failure(call));
        }
        assertInstanceOf(AlreadyClosedException.class, failure(send(connection, 5)));
    }

    private FollowerConnection connection(long timeoutMs) {
        return new FollowerConnection(group, "127.0.0.1:" + follower.getLocalPort(), timeoutMs);
    }

    private static CompletableFuture<RaftNettyServerReplyProto> send(FollowerConnection connection, long callId)
            throws Exception {
        RaftNettyServerRequestProto request = RaftNettyServerRequestProto.newBuilder()
                .setAppendEntriesRequest(AppendEntriesRequestProto.newBuilder()
                        .setServerRequest(RaftRpcRequestProto.newBuilder().setCallId(callId)))
                .build();
        return connection.loop().submit(() -> connection.send(callId, request)).get(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> call) {
        return assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS)).getCause();
    }

    private static RaftNettyServerRequestProto read(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        return RaftNettyServerRequestProto.parseDelimitedFrom(in);
    }

    private static void answer(Socket s, long callId) throws IOException {
        OutputStream out = s.getOutputStream();
        RaftNettyServerReplyProto.newBuilder()
                .setAppendEntriesReply(AppendEntriesReplyProto.newBuilder()
                        .setServerReply(RaftRpcReplyProto.newBuilder().setCallId(callId).setSuccess(true)))
                .build().writeDelimitedTo(out);
        out.flush();
    }

    private static long callId(RaftNettyServerRequestProto request) {
        return request.getAppendEntriesRequest().getServerRequest().getCallId();
    }

    private static long answeredCall(RaftNettyServerReplyProto reply) {
        return reply.getAppendEntriesReply().getServerReply().getCallId();
    }

    private static ServerSocket newServerSocket() {
        try {
            ServerSocket s = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            s.setSoTimeout(5_000);
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
