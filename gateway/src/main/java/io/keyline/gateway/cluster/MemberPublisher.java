package io.keyline.gateway.cluster;

import io.keyline.replication.RaftNode;
import io.keyline.replication.proto.LogRequest;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this member's name and client URLs through the log once it starts, retrying until a
 * leader takes it, as etcd publishes its member attributes; the member list shows it from then on.
 */
public final class MemberPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberPublisher.class);
    static final long RETRY_MS = 500;

    private final Thread thread;
    private final java.util.concurrent.CompletableFuture<Void> published = new java.util.concurrent.CompletableFuture<>();
    private volatile boolean closed;

    public MemberPublisher(RaftNode raft, Member self) {
        LogRequest publish = LogRequest.newBuilder().setPublish(self.toProto()).build();
        this.thread = new Thread(() -> {
            while (!closed) {
                try {
                    raft.write(publish).get(10, TimeUnit.SECONDS);
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
    public java.util.concurrent.CompletableFuture<Void> published() {
        return published;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
