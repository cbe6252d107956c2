package io.keyline.it;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.WatchCancelRequest;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.api.etcdserverpb.WatchGrpc;
import io.keyline.api.etcdserverpb.WatchProgressRequest;
import io.keyline.api.etcdserverpb.WatchRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One raw etcd v3 Watch stream: what it receives is queued; the stream's end is kept as {@link #error}. */
final class WatchClient implements AutoCloseable {
    private final BlockingQueue<WatchResponse> received = new LinkedBlockingQueue<>();
    private final StreamObserver<WatchRequest> requests;
    private volatile ClientCallStreamObserver<WatchRequest> call;
    volatile Throwable error;
    volatile boolean completed;

    private WatchClient(WatchGrpc.WatchStub stub) {
        requests = stub.watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> s) {
                call = s;
            }

            @Override
            public void onNext(WatchResponse r) {
                received.add(r);
            }

            @Override
            public void onError(Throwable t) {
                error = t;
            }

            @Override
            public void onCompleted() {
                completed = true;
            }
        });
    }

    static WatchClient open(Channel channel) {
        return new WatchClient(WatchGrpc.newStub(channel));
    }

    /** A stream that carries {@code hasleader: true}, as clientv3.WithRequireLeader sends. */
    static WatchClient requiringLeader(Channel channel) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
        return new WatchClient(WatchGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)));
    }

    static WatchCreateRequest.Builder on(String key) {
        return WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key));
    }

    static WatchCreateRequest.Builder prefix(String prefix) {
        return on(prefix).setRangeEnd(KeylineCluster.prefixEnd(ByteString.copyFromUtf8(prefix)));
    }

    synchronized void create(WatchCreateRequest.Builder c) {
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(c).build());
    }

    synchronized void cancel(long id) {
        requests.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
    }

    synchronized void requestProgress() {
        requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }

    /** The next response, or null after {@code timeout}. */
    WatchResponse next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Responses until one matches {@code last} (included); fails after {@code timeout}. */
    List<WatchResponse> until(Predicate<WatchResponse> last, Duration timeout) throws InterruptedException {
        List<WatchResponse> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            WatchResponse r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no matching watch response within " + timeout + "; got " + out
                        + (error == null ? "" : "; stream failed: " + error));
            }
            out.add(r);
            if (last.test(r)) {
                return out;
            }
        }
    }

    /** Everything that arrives until the stream has been quiet for {@code quiet}. */
    List<WatchResponse> drain(Duration quiet) throws InterruptedException {
        List<WatchResponse> out = new ArrayList<>();
        for (WatchResponse r; (r = next(quiet)) != null; ) {
            out.add(r);
        }
        return out;
    }

    /** Cancels the call, as clients end a watch stream (etcd keeps serving one that is only half-closed). */
    @Override
    public void close() {
        call.cancel("watch client closed", null);
    }
}
