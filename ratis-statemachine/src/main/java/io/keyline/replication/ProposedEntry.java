package io.keyline.replication;

import io.keyline.replication.proto.LogEntry;
import io.keyline.replication.proto.LogRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A group-committed log entry as this member proposes it. Applying it here finds this same object
 * again (see {@link OwnEntries}), so the proposer never re-parses its own entry and apply writes
 * each request's outcome here instead of serializing a reply, and says when it has: as etcd's
 * proposer, this member answers on its own apply, not on the leader's reply, which comes later.
 */
final class ProposedEntry implements Message {
    private final List<LogRequest> requests;
    private final ByteString content;
    private final WriteOutcome[] outcomes;
    private final CompletableFuture<Void> applied = new CompletableFuture<>();

    ProposedEntry(List<LogRequest> requests) {
        this.requests = requests;
        this.content = UnsafeByteOperations.unsafeWrap(
                LogEntry.newBuilder().addAllRequests(requests).build().toByteArray());
        this.outcomes = new WriteOutcome[requests.size()];
    }

    List<LogRequest> requests() {
        return requests;
    }

    WriteOutcome[] outcomes() {
        return outcomes;
    }

    /** Completes once this member applied the entry from its log, every outcome filled in. */
    CompletableFuture<Void> applied() {
        return applied;
    }

    @Override
    public ByteString getContent() {
        return content;
    }

    @Override
    public String toString() {
        return "ProposedEntry(" + requests.size() + " requests, " + content.size() + " bytes)";
    }
}
