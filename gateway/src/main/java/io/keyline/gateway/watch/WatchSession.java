package io.keyline.gateway.watch;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.WatchCancelRequest;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.api.etcdserverpb.WatchRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.gateway.ResponseHeaders;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.watch.WatchBatch;
import io.keyline.keyspace.watch.WatchHub;
import io.keyline.keyspace.watch.WatchOptions;
import io.keyline.keyspace.watch.WatchStream;
import io.keyline.replication.ReplicationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's Watch stream, as etcd's serverWatchStream: requests are handled as they arrive; everything sent
 * goes through {@link #drain}, one thread at a time and only while gRPC can take more (so a client that stops
 * reading leaves its backlog in the bounded {@link WatchStream} rather than in gRPC's buffers). Control answers
 * (created, canceled) go first; events of a watch whose "created" has not gone out yet wait for it, as in etcd.
 */
final class WatchSession implements StreamObserver<WatchRequest> {
    /** Unanswered create/cancel requests a stream may have before it stops reading more, like etcd's ctrlStream. */
    static final int CONTROL_BACKLOG = 128;

    private final ServerCallStreamObserver<WatchResponse> out;
    private final WatchHub hub;
    private final WatchStream stream;
    private final ResponseHeaders headers;
    private final long maxRequestBytes;
    private final Executor sender;
    private final Queue<WatchResponse> control = new ConcurrentLinkedQueue<>();
    private final Set<Long> fragmented = ConcurrentHashMap.newKeySet();
    private final AtomicInteger drainRequests = new AtomicInteger();
    private final Runnable onClose;
    /** Drain thread only: watch ids whose "created" went out, and what waits for one. */
    private final Set<Long> announced = new HashSet<>();
    private final Map<Long, List<WatchResponse>> waitingForCreated = new HashMap<>();
    private volatile boolean readsOwed;
    private volatile Throwable abort;
    private volatile boolean closed;
    private ScheduledFuture<?> progressTicks;

    WatchSession(ServerCallStreamObserver<WatchResponse> out, WatchHub hub, ResponseHeaders headers,
            long maxRequestBytes, Executor sender, Runnable onClose) {
        this.out = out;
        this.hub = hub;
        this.stream = hub.newStream();
        this.headers = headers;
        this.maxRequestBytes = maxRequestBytes;
        this.sender = sender;
        this.onClose = onClose;
        out.disableAutoRequest();
        out.setOnReadyHandler(this::scheduleDrain);
        out.setOnCancelHandler(this::close);
        stream.onOutbound(this::scheduleDrain);
    }

    void start(ScheduledFuture<?> progressTicks) {
        this.progressTicks = progressTicks;
        out.request(1);
    }

    void progressTick() {
        stream.progressTick();
    }

    @Override
    public void onNext(WatchRequest r) {
        if (closed) {
            return;
        }
        switch (r.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(r.getCreateRequest());
            case CANCEL_REQUEST -> cancel(r.getCancelRequest());
            case PROGRESS_REQUEST -> stream.requestProgress();
            case REQUESTUNION_NOT_SET -> { }
        }
        if (control.size() < CONTROL_BACKLOG) {
            out.request(1);
        } else {
            readsOwed = true;
        }
    }

    private void create(WatchCreateRequest c) {
        long rev = hub.revision();
        boolean noPut = c.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
        boolean noDelete = c.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        WatchResponse.Builder created = WatchResponse.newBuilder().setHeader(headers.at(rev)).setCreated(true);
        try {
            long id = stream.watch(new WatchOptions(c.getKey(), c.getRangeEnd(), c.getStartRevision(), c.getWatchId(),
                    noPut, noDelete, c.getPrevKv(), c.getProgressNotify()));
            if (c.getFragment()) {
                fragmented.add(id);
            }
            created.setWatchId(id);
        } catch (KeyspaceException e) {
            created.setWatchId(-1).setCanceled(true).setCancelReason(EtcdStatus.message(e.error()));
        }
        control.add(created.build());
        scheduleDrain();
    }

    private void cancel(WatchCancelRequest c) {
        if (stream.cancel(c.getWatchId())) {
            fragmented.remove(c.getWatchId());
            control.add(WatchResponse.newBuilder().setHeader(headers.at(hub.revision()))
                    .setWatchId(c.getWatchId()).setCanceled(true).build());
            scheduleDrain();
        }
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    /** The client closed its side: as etcd, keep sending until it cancels the call. */
    @Override
    public void onCompleted() {
    }

    /** The member has been leaderless too long (see {@link LeaderMonitor}), or is stopping: end the stream. */
    void abort(ReplicationException.Kind why) {
        abort = EtcdStatus.of(new ReplicationException(why, null));
        close();
        scheduleDrain();
    }

    private void close() {
        if (!closed) {
            closed = true;
            if (progressTicks != null) {
                progressTicks.cancel(false);
            }
            stream.close();
            onClose.run();
        }
    }

    /** Called from the hub (even on the apply thread): never blocks, never throws. */
    private void scheduleDrain() {
        if (drainRequests.getAndIncrement() == 0) {
            try {
                sender.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                drainRequests.set(0);
            }
        }
    }

    private void drain() {
        do {
            try {
                drainOnce();
            } catch (RuntimeException e) {
                close(); // the call is gone (cancelled or already closed): nothing more can be sent
            }
        } while (drainRequests.decrementAndGet() > 0);
    }

    private void drainOnce() {
        if (terminated()) {
            return;
        }
        while (!closed && out.isReady()) {
            WatchResponse c = control.poll();
            if (c != null) {
                sendControl(c);
                continue;
            }
            WatchBatch b = stream.poll();
            if (b == null) {
                break;
            }
            WatchResponse r = toResponse(b);
            if (b.watchId() != WatchBatch.STREAM_WIDE && !announced.contains(b.watchId())) {
                waitingForCreated.computeIfAbsent(b.watchId(), k -> new ArrayList<>()).add(r);
            } else {
                send(r);
            }
        }
        if (readsOwed && control.size() < CONTROL_BACKLOG && !closed) {
            readsOwed = false;
            out.request(1);
        }
    }

    private boolean terminated() {
        if (abort != null) {
            Throwable a = abort;
            abort = null;
            out.onError(a);
            return true;
        }
        return closed;
    }

    private void sendControl(WatchResponse c) {
        out.onNext(c);
        if (c.getCreated() && !c.getCanceled()) {
            announced.add(c.getWatchId());
            List<WatchResponse> waiting = waitingForCreated.remove(c.getWatchId());
            if (waiting != null) {
                waiting.forEach(this::send);
            }
        } else if (c.getCanceled()) {
            announced.remove(c.getWatchId());
            waitingForCreated.remove(c.getWatchId());
        }
    }

    private void send(WatchResponse r) {
        if (fragmented.contains(r.getWatchId())) {
            Fragments.send(r, maxRequestBytes, out::onNext);
        } else {
            out.onNext(r);
        }
        if (r.getCanceled()) {
            announced.remove(r.getWatchId());
        }
    }

    private WatchResponse toResponse(WatchBatch b) {
        return WatchResponse.newBuilder()
                .setHeader(headers.at(b.revision()))
                .setWatchId(b.watchId())
                .addAllEvents(b.events())
                .setCompactRevision(b.compactRevision())
                .setCanceled(b.compacted())
                .build();
    }
}
