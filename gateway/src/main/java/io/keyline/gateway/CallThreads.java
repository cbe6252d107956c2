package io.keyline.gateway;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which thread runs a call. The server runs every call on the transport thread that read it (gRPC's
 * direct executor); this interceptor, the outermost, moves every call except the KV ones to the
 * workers, one task at a time per call and in order. The KV calls stay: a write only validates and
 * queues a proposal, a range reads one key there and hands any wider read to the workers (see
 * KvService). gRPC's own per-call executor choice runs each call's start on a worker first, a
 * thread switch there and one back per call. A call moved to the workers still knows the event loop
 * of its connection ({@link #transportThread}), where a stream can write without another hop.
 */
public final class CallThreads implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(CallThreads.class);
    private static final Set<String> ON_TRANSPORT_THREAD = Set.of(
            KVGrpc.getRangeMethod().getFullMethodName(),
            KVGrpc.getPutMethod().getFullMethodName(),
            KVGrpc.getDeleteRangeMethod().getFullMethodName(),
            KVGrpc.getTxnMethod().getFullMethodName(),
            KVGrpc.getCompactMethod().getFullMethodName());

    private static final Context.Key<Executor> TRANSPORT_THREAD = Context.key("keyline-transport-thread");

    private final Executor workers;

    CallThreads(Executor workers) {
        this.workers = workers;
    }

    /**
     * The transport thread (Netty event loop) of the connection the current call came in on, or null
     * outside a call or a transport thread: a stream that sends on it writes without another hop.
     */
    public static Executor transportThread() {
        return TRANSPORT_THREAD.get();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        if (ON_TRANSPORT_THREAD.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        Context context = Context.current().withValue(TRANSPORT_THREAD, ThreadExecutorMap.currentExecutor());
        OnWorker<Q> listener = new OnWorker<>(new Serial(workers, call), context);
        listener.run(() -> listener.delegate = next.startCall(call, headers));
        return listener;
    }

    /** Hands each callback to the call's serial queue; the first task sets the delegate. */
    private static final class OnWorker<Q> extends ServerCall.Listener<Q> {
        private final Serial serial;
        private final Context context;
        private ServerCall.Listener<Q> delegate;

        OnWorker(Serial serial, Context context) {
            this.serial = serial;
            this.context = context;
        }

        void run(Runnable task) {
            serial.execute(context.wrap(task));
        }

        /** A call whose start threw has been closed already: its later callbacks have no one to go to. */
        private void forward(Consumer<ServerCall.Listener<Q>> callback) {
            run(() -> {
                if (delegate != null) {
                    callback.accept(delegate);
                }
            });
        }

        @Override
        public void onMessage(Q message) {
            forward(d -> d.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            forward(d -> d.onHalfClose());
        }

        @Override
        public void onCancel() {
            forward(d -> d.onCancel());
        }

        @Override
        public void onComplete() {
            forward(d -> d.onComplete());
        }

        @Override
        public void onReady() {
            forward(d -> d.onReady());
        }
    }

    /**
     * Runs one call's tasks one at a time, in submission order, on the workers. A task that throws
     * ends the call with UNKNOWN, as gRPC does when a handler throws on its own executor.
     */
    private static final class Serial implements Executor, Runnable {
        private final Executor workers;
        private final ServerCall<?, ?> call;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Serial(Executor workers, ServerCall<?, ?> call) {
            this.workers = workers;
            this.call = call;
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
            if (scheduled.compareAndSet(false, true)) {
                workers.execute(this);
            }
        }

        @Override
        public void run() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("call {} failed", call.getMethodDescriptor().getFullMethodName(), e);
                    try {
                        call.close(Status.UNKNOWN.withCause(e), new Metadata());
                    } catch (IllegalStateException alreadyClosed) {
                        LOG.debug("call already closed", alreadyClosed);
                    }
                }
            }
            scheduled.set(false);
            if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
                workers.execute(this);
            }
        }
    }
}
