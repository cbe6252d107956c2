package io.keyline.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.util.internal.ThreadExecutorMap;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallThreadsTest {
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("test.Threads/Echo").setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    private static final MethodDescriptor<String, String> FAIL = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Threads/Fail").setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

    private final ForkJoinPool workers = new ForkJoinPool(2, pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("test-worker-" + t.getPoolIndex());
        return t;
    }, null, true);
    private final List<String> handlerThreads = new CopyOnWriteArrayList<>();
    private final List<Executor> transportThreads = new CopyOnWriteArrayList<>();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Threads")
                .addMethod(ECHO, ServerCalls.asyncServerStreamingCall((String request, StreamObserver<String> out) -> {
                    handlerThreads.add(Thread.currentThread().getName());
                    transportThreads.add(CallThreads.transportThread());
                    for (int i = 0; i < 100; i++) {
                        out.onNext(request + i);
                    }
                    out.onCompleted();
                }))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
                    throw new IllegalStateException("handler bug");
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .intercept(new CallThreads(workers))
                .addService(service)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        workers.shutdown();
    }

    @Test
    void callsOtherThanKvRunOnTheWorkersAndAnswerInOrder() {
        for (int call = 0; call < 20; call++) {
            Iterator<String> replies = ClientCalls.blockingServerStreamingCall(channel, ECHO,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "r");
            List<String> got = new ArrayList<>();
            replies.forEachRemaining(got::add);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("r" + i);
            }
            assertEquals(expected, got);
        }
        assertEquals(20, handlerThreads.size());
        assertTrue(handlerThreads.stream().allMatch(n -> n.startsWith("test-worker-")), handlerThreads.toString());
    }

    @Test
    void aCallOnTheWorkersKnowsTheEventLoopOfItsConnection() throws Exception {
        ClientCalls.blockingServerStreamingCall(channel, ECHO,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "r").forEachRemaining(r -> { });
        Executor loop = transportThreads.get(0);
        assertNotNull(loop);
        CompletableFuture<Executor> seen = new CompletableFuture<>();
        loop.execute(() -> seen.complete(ThreadExecutorMap.currentExecutor()));
        assertSame(loop, seen.get(10, TimeUnit.SECONDS));
        assertNull(CallThreads.transportThread(), "outside a call");
    }

    @Test
    void aHandlerThatThrowsEndsItsCallWithUnknown() {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, FAIL,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "x"));
        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertFalse(workers.isShutdown());
    }
}
