package io.keyline.benchmark.load;

import io.keyline.benchmark.client.RpcErrors;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * etcd's benchmark load shape without a goroutine per client: each of the clients has at most one
 * request in flight and sends the next one (request number seq, taken from a shared counter) when
 * the previous one completes, until total requests were sent. Latency runs from just before the
 * send to the completion callback.
 */
public final class ClosedLoop {
    /** Sends request seq on behalf of client, asynchronously. */
    public interface Request {
        CompletableFuture<?> send(int client, long seq);
    }

    private final int clients;
    private final long total;
    private final RateLimiter limiter;
    private final ProgressBar bar;
    private final AtomicLong next = new AtomicLong();
    private CountDownLatch idle;
    private ScheduledExecutorService timer;

    public ClosedLoop(int clients, long total, RateLimiter limiter, ProgressBar bar) {
        this.clients = clients;
        this.total = total;
        this.limiter = limiter;
        this.bar = bar;
    }

    /** Runs all requests, each recorded in the report reportFor(seq) returns; blocks until every client is idle. */
    public void run(Request request, LongFunction<Report> reportFor) throws InterruptedException {
        idle = new CountDownLatch(clients);
        timer = limiter == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rate-limiter");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int c = 0; c < clients; c++) {
                pump(c, request, reportFor);
            }
            idle.await();
        } finally {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    /**
     * Sends client's next request. A request that completed before its callback was attached loops
     * here instead of recursing, so a server failing every call at once cannot overflow the stack.
     */
    private void pump(int client, Request request, LongFunction<Report> reportFor) {
        while (true) {
            long seq = next.getAndIncrement();
            if (seq >= total) {
                idle.countDown();
                return;
            }
            if (limiter != null) {
                long wait = limiter.reserve();
                if (wait > 0) {
                    timer.schedule(() -> send(client, seq, request, reportFor), wait, TimeUnit.NANOSECONDS);
                    return;
                }
            }
            if (!sendDone(client, seq, request, reportFor)) {
                return;
            }
        }
    }

    private void send(int client, long seq, Request request, LongFunction<Report> reportFor) {
        if (sendDone(client, seq, request, reportFor)) {
            pump(client, request, reportFor);
        }
    }

    /** Sends seq; true if it already completed (the caller goes on), false if its callback will go on. */
    private boolean sendDone(int client, long seq, Request request, LongFunction<Report> reportFor) {
        Report report = reportFor.apply(seq);
        long start = System.nanoTime();
        CompletableFuture<?> f;
        try {
            f = request.send(client, seq);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (f.isDone()) {
            complete(report, start, f);
            return true;
        }
        f.whenComplete((r, e) -> {
            record(report, start, e);
            pump(client, request, reportFor);
        });
        return false;
    }

    private void complete(Report report, long start, CompletableFuture<?> f) {
        Throwable err = null;
        try {
            f.join();
        } catch (RuntimeException e) {
            err = e;
        }
        record(report, start, err);
    }

    private void record(Report report, long start, Throwable err) {
        long end = System.nanoTime();
        if (err == null) {
            report.record(start, end);
        } else {
            report.error(RpcErrors.text(err));
        }
        bar.increment();
    }
}
