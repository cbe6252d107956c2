package io.keyline.replication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Futures waiting for the applied index to reach a value, released in index order as entries apply. */
final class AppliedIndexWaiters {
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiters = new ConcurrentSkipListMap<>();
    private final AtomicLong released = new AtomicLong(-1);

    CompletableFuture<Void> await(long index, LongSupplier applied) {
        if (applied.getAsLong() >= index) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = waiters.computeIfAbsent(index, i -> new CompletableFuture<>());
        // The apply thread may have passed the index between the check and the registration.
        if (applied.getAsLong() >= index || released.get() >= index) {
            release(Math.max(applied.getAsLong(), released.get()));
        }
        return waiter;
    }

    void release(long appliedIndex) {
        released.accumulateAndGet(appliedIndex, Math::max);
        var ready = waiters.headMap(appliedIndex, true);
        while (!ready.isEmpty()) {
            var first = ready.pollFirstEntry();
            if (first != null) {
                first.getValue().complete(null);
            }
        }
    }
}
