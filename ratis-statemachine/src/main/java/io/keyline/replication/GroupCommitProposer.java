package io.keyline.replication;

import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.replication.proto.LogRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the writes that arrive while earlier entries are in flight are packed into one
 * log entry, because Raft pays per entry, not per byte. An entry is cut as soon as the queue
 * drains (or a size cap is reached), so a lone writer waits for no timer. Up to
 * {@link #MAX_IN_FLIGHT} entries are pipelined; Ratis applies them in log order. A follower keeps
 * at most {@link #MAX_FORWARDS_IN_FLIGHT} forwarded entries out, each on a connection of its own
 * (see RaftNode): fewer, fuller entries carry what arrives meanwhile (four, on four connections:
 * 3-member put at 100 clients 6.8k req/s against 7.5-8.0k). As etcd, a write is answered only once
 * this member has applied it, so a serializable read or a watcher here never lags the answer, and
 * then at once, not when the leader's reply arrives; a forwarded entry gives its slot back as soon
 * as the leader answers.
 */
final class GroupCommitProposer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitProposer.class);
    /** etcd measures a proposal with its request header (id, user, auth revision); about this many bytes. */
    static final int ETCD_REQUEST_HEADER_BYTES = 14;
    static final int MAX_IN_FLIGHT = 32;
    static final int MAX_FORWARDS_IN_FLIGHT = 2;
    static final int MAX_REQUESTS_PER_ENTRY = 1024;
    static final int MAX_BYTES_PER_ENTRY = 4 << 20;

    private record Pending(LogRequest request, CompletableFuture<WriteOutcome> result) {}

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Function<ProposedEntry, CompletableFuture<RaftClientReply>> submitter;
    private final Function<Throwable, RuntimeException> failureMapper;
    private final BooleanSupplier forwarding;
    private final LongFunction<CompletableFuture<Void>> appliedHere;
    private final long maxRequestBytes;
    private final Thread thread;
    private volatile boolean closed;

    GroupCommitProposer(Function<ProposedEntry, CompletableFuture<RaftClientReply>> submitter,
            Function<Throwable, RuntimeException> failureMapper, BooleanSupplier forwarding,
            LongFunction<CompletableFuture<Void>> appliedHere, long maxRequestBytes) {
        this.submitter = submitter;
        this.failureMapper = failureMapper;
        this.forwarding = forwarding;
        this.appliedHere = appliedHere;
        this.maxRequestBytes = maxRequestBytes;
        this.thread = new Thread(this::run, "keyline-proposer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<WriteOutcome> propose(LogRequest request) {
        CompletableFuture<WriteOutcome> result = new CompletableFuture<>();
        if (request.getSerializedSize() + ETCD_REQUEST_HEADER_BYTES > maxRequestBytes) {
            result.completeExceptionally(new KeyspaceException(EtcdError.REQUEST_TOO_LARGE));
        } else if (closed) {
            result.completeExceptionally(new ReplicationException(ReplicationException.Kind.STOPPED, null));
        } else {
            queue.add(new Pending(request, result));
        }
        return result;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
                // The entry is cut once it may leave, so it carries what arrived while it waited.
                int permits = forwarding.getAsBoolean() ? MAX_IN_FLIGHT / MAX_FORWARDS_IN_FLIGHT : 1;
                inFlight.acquire(permits);
                int bytes = batch.get(0).request().getSerializedSize();
                Pending next;
                while (batch.size() < MAX_REQUESTS_PER_ENTRY && bytes < MAX_BYTES_PER_ENTRY
                        && (next = queue.poll()) != null) {
                    batch.add(next);
                    bytes += next.request().getSerializedSize();
                }
                submit(List.copyOf(batch), permits);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failAll(batch);
    }

    private void submit(List<Pending> batch, int permits) {
        ProposedEntry entry = new ProposedEntry(batch.stream().map(Pending::request).toList());
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = submitter.apply(entry);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        entry.applied().thenRun(() -> settle(batch, entry, null));
        reply.whenComplete((r, error) -> {
            inFlight.release(permits);
            Throwable failure = error != null ? error : (r.isSuccess() ? null : r.getException());
            if (failure != null) {
                if (!entry.applied().isDone()) {
                    settle(batch, entry, failure);
                }
            } else {
                appliedHere.apply(r.getLogIndex()).whenComplete((applied, e) -> settle(batch, entry, e));
            }
        });
    }

    private void settle(List<Pending> batch, ProposedEntry entry, Throwable failure) {
        for (int i = 0; i < batch.size(); i++) {
            WriteOutcome outcome = entry.outcomes()[i];
            if (failure == null && outcome != null) {
                batch.get(i).result().complete(outcome);
            } else if (failure == null) {
                // Committed, but reached this member in a snapshot: as in etcd, its proposer never hears back.
                batch.get(i).result().completeExceptionally(new ReplicationException(ReplicationException.Kind.TIMEOUT, null));
            } else {
                batch.get(i).result().completeExceptionally(failureMapper.apply(failure));
            }
        }
    }

    private void failAll(List<Pending> batch) {
        List<Pending> rest = new ArrayList<>(batch);
        queue.drainTo(rest);
        RuntimeException stopped = new ReplicationException(ReplicationException.Kind.STOPPED, null);
        rest.forEach(p -> p.result().completeExceptionally(stopped));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("proposer stopped");
    }
}
