package io.keyline.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Shares one leader query among the linearizable reads that arrive together, as etcd's
 * linearizable read loop shares one ReadIndex: at most one query is in flight, and a read that
 * arrives while one is answers from the next, which starts after the read did, so its index
 * covers every write acknowledged before the read began. Answers run on {@code answers}: Ratis
 * completes a read index while holding a lock that the next query needs, and the reads themselves
 * (range scans, replies) should not hold up its threads either.
 */
final class ReadIndexBatcher {
    private final Supplier<CompletableFuture<Long>> query;
    private final Executor answers;
    private List<CompletableFuture<Long>> waiting = new ArrayList<>();
    private boolean inFlight;

    ReadIndexBatcher(Supplier<CompletableFuture<Long>> query, Executor answers) {
        this.query = query;
        this.answers = answers;
    }

    /** The leader's applied index, asked no earlier than this call. */
    CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> index = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            waiting.add(index);
            start = !inFlight;
            inFlight = true;
        }
        if (start) {
            send();
        }
        return index;
    }

    private void send() {
        List<CompletableFuture<Long>> batch;
        synchronized (this) {
            batch = waiting;
            waiting = new ArrayList<>();
        }
        CompletableFuture<Long> answer;
        try {
            answer = query.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenCompleteAsync((index, error) -> {
            boolean again;
            synchronized (this) {
                again = !waiting.isEmpty();
                inFlight = again;
            }
            // The next query leaves before this batch's reads run, so they never delay it.
            if (again) {
                send();
            }
            for (CompletableFuture<Long> f : batch) {
                if (error != null) {
                    f.completeExceptionally(error);
                } else {
                    f.complete(index);
                }
            }
        }, answers);
    }
}
