package io.keyline.benchmark.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket with a burst of one shared by all clients, like the golang.org/x/time/rate limiter
 * etcd's benchmark builds from --rate: request n may start no earlier than n/rate seconds in.
 * {@link #reserve} never blocks; it tells the caller how long to wait.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextFree;

    /** clock in nanoseconds; a fake one for tests. */
    RateLimiter(long intervalNanos, LongSupplier clock) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.nextFree = new AtomicLong(clock.getAsLong());
    }

    /** rate requests per second; 0 means no limit (etcd turns 0 into MaxInt32). */
    public static RateLimiter perSecond(int rate) {
        return rate <= 0 ? null : new RateLimiter(Math.max(1, 1_000_000_000L / rate), System::nanoTime);
    }

    /** Takes the next slot and returns the nanoseconds until it, 0 if it is already due. */
    public long reserve() {
        long now = clock.getAsLong();
        // burst of one: an idle limiter does not save up slots
        long prev = nextFree.getAndUpdate(n -> Math.max(n, now) + intervalNanos);
        return Math.max(0, prev - now);
    }
}
