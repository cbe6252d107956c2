package io.keyline.benchmark.watch;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.api.etcdserverpb.WatchGrpc;
import io.keyline.api.etcdserverpb.WatchRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.benchmark.client.BenchmarkFailure;
import io.keyline.benchmark.client.RpcErrors;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One gRPC Watch stream carrying many watchers, as a clientv3 Watcher does. A server answers the
 * create requests of one stream in order, so the n-th "created" response belongs to the n-th create.
 * Events go to the listener with the receive time (System.nanoTime) taken as they arrive.
 */
final class WatchStream implements AutoCloseable {
    /** Called on a gRPC thread for every response with events: (receive nanos, response). */
    interface Listener {
        void events(long recvNanos, WatchResponse r);
    }

    /** How long a watch create may wait for its "created" response. */
    private static final long CREATE_TIMEOUT_SECS = 30;

    private final Queue<CompletableFuture<Long>> pending = new ArrayDeque<>();
    private final StreamObserver<WatchRequest> requests;
    private volatile Throwable failure;

    WatchStream(WatchGrpc.WatchStub stub, Listener listener) {
        this.requests = stub.watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                long now = System.nanoTime();
                if (r.getCreated()) {
                    CompletableFuture<Long> f = poll();
                    if (f != null) {
                        if (r.getCanceled()) {
                            f.completeExceptionally(new BenchmarkFailure("watch canceled: " + r.getCancelReason()));
                        } else {
                            f.complete(r.getWatchId());
                        }
                    }
                }
                if (r.getEventsCount() > 0) {
                    listener.events(now, r);
                }
            }

            @Override
            public void onError(Throwable t) {
                fail(t);
            }

            @Override
            public void onCompleted() {
                fail(new BenchmarkFailure("watch stream closed by the server"));
            }
        });
    }

    /** Sends a create request; the future completes with the watch id when the server confirms it. */
    synchronized CompletableFuture<Long> create(WatchCreateRequest c) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        if (failure != null) {
            f.completeExceptionally(failure);
            return f;
        }
        pending.add(f);
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(c).build());
        return f;
    }

    /** Waits for a create's confirmation; a refusal or a failed stream becomes the benchmark's failure. */
    static long awaitCreated(CompletableFuture<Long> created) throws InterruptedException {
        try {
            return created.get(CREATE_TIMEOUT_SECS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = RpcErrors.unwrap(e);
            throw c instanceof BenchmarkFailure b ? b : new BenchmarkFailure("Failed to create watch: " + RpcErrors.text(c), c);
        } catch (TimeoutException e) {
            throw new BenchmarkFailure("Failed to create watch: no response within " + CREATE_TIMEOUT_SECS + "s");
        }
    }

    Throwable failure() {
        return failure;
    }

    private synchronized CompletableFuture<Long> poll() {
        return pending.poll();
    }

    private synchronized void fail(Throwable t) {
        if (failure == null) {
            failure = new BenchmarkFailure("watch stream failed: " + RpcErrors.text(t), t);
        }
        for (CompletableFuture<Long> f : pending) {
            f.completeExceptionally(failure);
        }
        pending.clear();
    }

    @Override
    public synchronized void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException e) {
            // the stream is already gone
        }
    }
}
