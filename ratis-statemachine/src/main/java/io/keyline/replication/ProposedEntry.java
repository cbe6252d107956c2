package io.keyline.replication;

import io.keyline.replication.proto.LogEntry;
import io.keyline.replication.proto.LogRequest;
import java.util.List;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A group-committed log entry as this member proposes it. Applying it here finds this same object
 * again (see {@link OwnEntries}), so the proposer never re-parses its own entry and apply writes
 * each request's outcome here instead of serializing a reply.
 */
final class ProposedEntry implements Message {
    private final List<LogRequest> requests;
    private final ByteString content;
    private final WriteOutcome[] outcomes;

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

    @Override
    public ByteString getContent() {
        return content;
    }

    @Override
    public String toString() {
        return "ProposedEntry(" + requests.size() + " requests, " + content.size() + " bytes)";
    }
}
