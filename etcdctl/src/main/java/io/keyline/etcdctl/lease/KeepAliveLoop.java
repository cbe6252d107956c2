package io.keyline.etcdctl.lease;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keyline.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one lease alive as etcd's Go client does for etcdctl's lease keep-alive: on each 500 ms
 * tick a renewal once a third of the last TTL has passed; a failed stream (its member stopped,
 * say) is opened again 500 ms later; the loop ends when the server reports the lease gone or no
 * answer came for a whole TTL (for the first answer, the dial timeout and a second).
 */
final class KeepAliveLoop {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    // The Go client's first wait when the dial timeout and a second come to exactly one second.
    private static final Duration DEFAULT_FIRST_WAIT = Duration.ofSeconds(5);

    private record Answer(Stream from, LeaseKeepAliveResponse response) {}

    private record Failure(Stream from) {}

    private final Connection connection;
    private final LeaseKeepAliveRequest request;
    private final long firstWaitNanos;
    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();

    KeepAliveLoop(Connection connection, long leaseId, Duration dialTimeout) {
        this.connection = connection;
        this.request = LeaseKeepAliveRequest.newBuilder().setID(leaseId).build();
        Duration first = dialTimeout.plusSeconds(1);
        this.firstWaitNanos = (first.equals(Duration.ofSeconds(1)) ? DEFAULT_FIRST_WAIT : first).toNanos();
    }

    /** Prints each renewal through printer and returns once the lease is gone (or silent for a TTL). */
    void run(LeasePrinter printer) {
        long now = System.nanoTime();
        long deadline = now + firstWaitNanos;
        long nextRenewal = now;
        long reopenAt = now;
        Stream stream = new Stream();
        while (true) {
            if (stream != null && now - nextRenewal >= 0) {
                stream.send(request);
            }
            long tickEnd = now + TICK_NANOS;
            Object a;
            while ((a = poll(tickEnd - System.nanoTime())) != null) {
                if (a instanceof Answer ans && ans.from() == stream) {
                    LeaseKeepAliveResponse r = ans.response();
                    if (r.getTTL() <= 0) {
                        return;
                    }
                    printer.keepAlive(r);
                    long at = System.nanoTime();
                    nextRenewal = at + TimeUnit.SECONDS.toNanos(r.getTTL()) / 3;
                    deadline = at + TimeUnit.SECONDS.toNanos(r.getTTL());
                } else if (a instanceof Failure f && f.from() == stream) {
                    stream = null;
                    reopenAt = System.nanoTime() + RETRY_NANOS;
                }
            }
            now = System.nanoTime();
            if (now - deadline > 0) {
                return;
            }
            if (stream == null && now - reopenAt >= 0) {
                stream = new Stream();
            }
        }
    }

    private Object poll(long nanos) {
        try {
            return nanos <= 0 ? answers.poll() : answers.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CtlException.of(CtlException.EXIT_INTERRUPTED, "interrupted");
        }
    }

    /** One keep-alive stream; it waits for a member to be ready before it sends. */
    private final class Stream implements StreamObserver<LeaseKeepAliveResponse> {
        private final StreamObserver<LeaseKeepAliveRequest> requests = connection.leaseAsync().leaseKeepAlive(this);

        void send(LeaseKeepAliveRequest r) {
            requests.onNext(r);
        }

        @Override
        public void onNext(LeaseKeepAliveResponse r) {
            answers.add(new Answer(this, r));
        }

        @Override
        public void onError(Throwable t) {
            answers.add(new Failure(this));
        }

        @Override
        public void onCompleted() {
            answers.add(new Failure(this));
        }
    }
}
