package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    @Test
    void aCallStillPendingAtItsLimitFailsWithATimeoutNoSooner() {
        long start = System.nanoTime();
        CompletableFuture<String> pending = Deadlines.within(new CompletableFuture<>(), 300, TimeUnit.MILLISECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(elapsedMs >= 300, "timed out after " + elapsedMs + " ms, before its 300 ms limit");
    }
}
