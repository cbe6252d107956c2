package io.keyline.gateway.cluster;

import io.keyline.replication.RaftNode;
import io.keyline.replication.proto.LogRequest;
import io.keyline.replication.proto.MemberDirectoryState;
import io.keyline.replication.proto.MembershipChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this member's name and client URLs through the log once it starts, retrying until a
 * leader takes it, as etcd publishes its member attributes; the member list shows it from then on.
 * A member of a new cluster first proposes the initial cluster: the first one applied is taken and
 * later ones change nothing, and every member proposes the same (the group id is derived from it).
 */
public final class MemberPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberPublisher.class);
    static final long RETRY_MS = 500;

    private final Thread thread;
    private final CompletableFuture<Void> published = new CompletableFuture<>();
    private volatile boolean closed;

    public MemberPublisher(RaftNode raft, Member self, List<Member> initialCluster) {
        List<LogRequest> requests = new ArrayList<>();
        if (!initialCluster.isEmpty()) {
            MemberDirectoryState.Builder initial = MemberDirectoryState.newBuilder();
            initialCluster.forEach(m -> initial.addMembers(new Member(m.id(), m.name(), m.peerUrls(), List.of(),
                    m.learner()).toProto()));
            requests.add(LogRequest.newBuilder().setMembership(MembershipChange.newBuilder().setBootstrap(initial)).build());
        }
        requests.add(LogRequest.newBuilder().setPublish(self.toProto()).build());
        this.thread = new Thread(() -> {
            int next = 0;
            while (!closed) {
                try {
                    raft.write(requests.get(next)).get(10, TimeUnit.SECONDS);
                    if (++next < requests.size()) {
                        continue;
                    }
                    LOG.info("published member {} ({}) with client URLs {} to the cluster",
                            Long.toHexString(self.id()), self.name(), self.clientUrls());
                    published.complete(null);
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception notYet) {
                    try {
                        Thread.sleep(RETRY_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "keyline-member-publisher");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Completes once the announcement has been applied. */
    public CompletableFuture<Void> published() {
        return published;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
