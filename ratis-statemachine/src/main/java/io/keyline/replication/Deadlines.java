package io.keyline.replication;

import org.apache.ratis.thirdparty.io.netty.util.HashedWheelTimer;
import org.apache.ratis.thirdparty.io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Time limits on the calls a member answers and the writes it forwards, kept on one wheel that ticks
 * every {@value #TICK_MS} ms. {@link CompletableFuture#orTimeout} wakes its timer thread for every call
 * made while none is pending (each new limit is then the earliest): one more thread switch per write
 * at one client.
 */
public final class Deadlines {
    static final long TICK_MS = 50;

    private static final HashedWheelTimer WHEEL = new HashedWheelTimer(r -> {
        Thread t = new Thread(r, "keyline-deadlines");
        t.setDaemon(true);
        return t;
    }, TICK_MS, TimeUnit.MILLISECONDS);

    private Deadlines() {}

    /** As {@code f.orTimeout(limit, unit)}: fails {@code f} with a TimeoutException unless it completes first. */
    public static <T> CompletableFuture<T> within(CompletableFuture<T> f, long limit, TimeUnit unit) {
        if (!f.isDone()) {
            Timeout t = WHEEL.newTimeout(x -> f.completeExceptionally(new TimeoutException()), limit, unit);
            f.whenComplete((r, e) -> t.cancel());
        }
        return f;
    }
}
