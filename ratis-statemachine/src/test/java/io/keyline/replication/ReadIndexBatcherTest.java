package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ReadIndexBatcherTest {
    private final List<CompletableFuture<Long>> queries = new ArrayList<>();
    private final ReadIndexBatcher batcher = new ReadIndexBatcher(() -> {
        CompletableFuture<Long> q = new CompletableFuture<>();
        queries.add(q);
        return q;
    }, Runnable::run);

    @Test
    void readArrivingDuringAQueryAnswersFromTheNextOne() throws Exception {
        CompletableFuture<Long> first = batcher.readIndex();
        CompletableFuture<Long> late = batcher.readIndex();
        assertEquals(1, queries.size(), "the second read must not start a query of its own while one is in flight");

        queries.get(0).complete(10L);
        assertEquals(10L, first.get());
        assertFalse(late.isDone(), "a read that arrived after the query left cannot use its index");
        assertEquals(2, queries.size(), "the waiting read starts the next query");

        queries.get(1).complete(12L);
        assertEquals(12L, late.get());
    }

    @Test
    void readsArrivingTogetherShareOneQuery() throws Exception {
        CompletableFuture<Long> lead = batcher.readIndex();
        List<CompletableFuture<Long>> group = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            group.add(batcher.readIndex());
        }
        queries.get(0).complete(5L);
        assertEquals(5L, lead.get());
        assertEquals(2, queries.size(), "fifty waiting reads, one query");
        queries.get(1).complete(7L);
        for (CompletableFuture<Long> f : group) {
            assertEquals(7L, f.get());
        }
        batcher.readIndex();
        assertEquals(3, queries.size(), "with nothing in flight a read starts a query at once");
    }

    @Test
    void failedQueryFailsItsReadsAndTheNextBatchStillRuns() throws Exception {
        CompletableFuture<Long> first = batcher.readIndex();
        CompletableFuture<Long> second = batcher.readIndex();
        queries.get(0).completeExceptionally(new IllegalStateException("no leader"));
        ExecutionException e = assertThrows(ExecutionException.class, first::get);
        assertTrue(e.getCause() instanceof IllegalStateException);
        queries.get(1).complete(3L);
        assertEquals(3L, second.get());
    }
}
