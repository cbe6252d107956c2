package io.keyline.gateway.lease;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseGrantResponse;
import io.keyline.api.etcdserverpb.LeaseGrpc;
import io.keyline.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keyline.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keyline.api.etcdserverpb.LeaseLeasesRequest;
import io.keyline.api.etcdserverpb.LeaseLeasesResponse;
import io.keyline.api.etcdserverpb.LeaseRevokeRequest;
import io.keyline.api.etcdserverpb.LeaseRevokeResponse;
import io.keyline.api.etcdserverpb.LeaseStatus;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.gateway.Replies;
import io.keyline.gateway.ResponseHeaders;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.lease.LeaseIds;
import io.keyline.replication.Deadlines;
import io.keyline.replication.RaftNode;
import io.keyline.replication.proto.LogRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * etcd's Lease service. Grant and revoke go through the log (a server-chosen ID is picked here, before
 * proposing, as etcd does); keep-alive and time-to-live ask the leader's lessor; the list is local.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final RaftNode raft;
    private final ResponseHeaders headers;
    private final LeaseIds ids;

    public LeaseService(RaftNode raft, ResponseHeaders headers, LeaseIds ids) {
        this.raft = raft;
        this.headers = headers;
        this.ids = ids;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
        LeaseGrantRequest withId = request.getID() != 0 ? request : request.toBuilder().setID(ids.next()).build();
        Replies.propose(raft, LogRequest.newBuilder().setLeaseGrant(withId).build(),
                (LeaseGrantResponse r) -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build(), out);
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
        Replies.propose(raft, LogRequest.newBuilder().setLeaseRevoke(request).build(),
                (LeaseRevokeResponse r) -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build(), out);
    }

    /** etcd answers an unknown or expired lease with TTL -1, not an error. */
    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> out) {
        CompletableFuture<LeaseTimeToLiveResponse> answer = raft.leaseTimeToLive(request).exceptionally(error -> {
            if (isLeaseNotFound(error)) {
                return LeaseTimeToLiveResponse.newBuilder().setID(request.getID()).setTTL(-1).build();
            }
            throw new CompletionException(error);
        });
        Replies.reply(answer, r -> r.toBuilder().setHeader(headers.current()).build(), out);
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> out) {
        LeaseLeasesResponse.Builder resp = LeaseLeasesResponse.newBuilder().setHeader(headers.current());
        raft.leasesByExpiry().forEach(l -> resp.addLeases(LeaseStatus.newBuilder().setID(l.id())));
        out.onNext(resp.build());
        out.onCompleted();
    }

    /**
     * One renewal at a time per stream, answered in order, as etcd's loop does. The header is taken before
     * the renewal, so a client never sees a renewal at a revision after the lease's revoke. An unknown or
     * revoked lease gets TTL 0; any other failure ends the stream.
     */
    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            private CompletableFuture<Boolean> last = CompletableFuture.completedFuture(true);

            @Override
            public synchronized void onNext(LeaseKeepAliveRequest request) {
                last = last.thenCompose(open -> open ? renew(request.getID(), out) : CompletableFuture.completedFuture(false));
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public synchronized void onCompleted() {
                last = last.thenApply(open -> {
                    if (open) {
                        out.onCompleted();
                    }
                    return false;
                });
            }
        };
    }

    /** Completes with whether the stream is still open. */
    private CompletableFuture<Boolean> renew(long id, StreamObserver<LeaseKeepAliveResponse> out) {
        ResponseHeader header = headers.current();
        return Deadlines.within(raft.leaseRenew(id), Replies.REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS).handle((ttl, error) -> {
            if (error != null && !isLeaseNotFound(error)) {
                out.onError(EtcdStatus.of(error));
                return false;
            }
            try {
                out.onNext(LeaseKeepAliveResponse.newBuilder().setHeader(header).setID(id)
                        .setTTL(error != null ? 0 : ttl).build());
                return true;
            } catch (RuntimeException cancelled) {
                return false;
            }
        });
    }

    private static boolean isLeaseNotFound(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof KeyspaceException ke && ke.error() == EtcdError.LEASE_NOT_FOUND;
    }


}
