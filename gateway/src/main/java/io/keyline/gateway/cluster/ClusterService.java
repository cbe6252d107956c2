package io.keyline.gateway.cluster;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.ClusterGrpc;
import io.keyline.api.etcdserverpb.Member;
import io.keyline.api.etcdserverpb.MemberAddRequest;
import io.keyline.api.etcdserverpb.MemberAddResponse;
import io.keyline.api.etcdserverpb.MemberListRequest;
import io.keyline.api.etcdserverpb.MemberListResponse;
import io.keyline.api.etcdserverpb.MemberPromoteRequest;
import io.keyline.api.etcdserverpb.MemberPromoteResponse;
import io.keyline.api.etcdserverpb.MemberRemoveRequest;
import io.keyline.api.etcdserverpb.MemberRemoveResponse;
import io.keyline.api.etcdserverpb.MemberUpdateRequest;
import io.keyline.api.etcdserverpb.MemberUpdateResponse;
import io.keyline.gateway.Replies;
import io.keyline.gateway.ResponseHeaders;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.membership.Membership;
import io.keyline.replication.RaftNode;
import io.keyline.replication.proto.MembershipChange;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * etcd's Cluster service. Every change goes through the log as a membership change that the
 * member directory checks in apply (etcd's ValidateConfigurationChange); the Raft configuration
 * follows. The member list is read after a read barrier, so it is linearizable.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {

    private final RaftNode raft;
    private final ResponseHeaders headers;
    /** Completes once the initial cluster is in the log, so that changes are checked against it. */
    private final Supplier<CompletableFuture<Void>> bootstrapped;
    private final Clock clock;

    public ClusterService(RaftNode raft, ResponseHeaders headers, Supplier<CompletableFuture<Void>> bootstrapped,
            Clock clock) {
        this.raft = raft;
        this.headers = headers;
        this.bootstrapped = bootstrapped;
        this.clock = clock;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        reply(directoryReady().thenApply(v -> MemberListResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(raft.members()).build()), out);
    }

    /**
     * As etcd's mayAddMember, a voter is refused before proposing while the started voters would
     * not be a quorum, and any member, learner too, while a voting member is not connected (the
     * leader judges: {@link RaftNode#votersConnected}). The new member's id is etcd's: SHA-1 over its
     * sorted peer URLs and the current Unix time.
     */
    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        List<String> urls;
        try {
            urls = Membership.peerUrls(request.getPeerURLsList());
            if (!request.getIsLearner()) {
                new Membership(raft.members(), List.of(), true).checkVoterAddable();
            }
        } catch (KeyspaceException e) {
            out.onError(EtcdStatus.of(e));
            return;
        }
        long id = MemberIds.memberId(urls, Long.toString(clock.instant().getEpochSecond()));
        Member added = Member.newBuilder().setID(id).addAllPeerURLs(urls).setIsLearner(request.getIsLearner()).build();
        CompletableFuture<List<Member>> result = raft.votersConnected().thenCompose(connected -> {
            if (!connected) {
                throw new KeyspaceException(EtcdError.UNHEALTHY_CLUSTER);
            }
            return afterBootstrap(MembershipChange.newBuilder().setAdd(added).build());
        });
        reply(result.thenApply(members -> MemberAddResponse.newBuilder()
                .setHeader(headers.withoutRevision()).setMember(added).addAllMembers(members).build()), out);
    }

    /** etcd refuses a removal that would cost the quorum before proposing, from its own view. */
    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        try {
            new Membership(raft.members(), List.of(), true).checkRemovable(request.getID());
        } catch (KeyspaceException e) {
            out.onError(EtcdStatus.of(e));
            return;
        }
        change(MembershipChange.newBuilder().setRemove(request.getID()).build(), members -> MemberRemoveResponse
                .newBuilder().setHeader(headers.withoutRevision()).addAllMembers(members).build(), out);
    }

    /** As etcd 3.4, the new peer URLs are taken as given. */
    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        Member update = Member.newBuilder().setID(request.getID()).addAllPeerURLs(request.getPeerURLsList()).build();
        change(MembershipChange.newBuilder().setUpdate(update).build(), members -> MemberUpdateResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(members).build(), out);
    }

    /** Only the leader knows whether the learner has caught up: it is asked first, as etcd does. */
    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
        CompletableFuture<List<Member>> promoted = raft.learnerReady(request.getID()).thenCompose(ready -> {
            if (!ready) {
                throw new KeyspaceException(EtcdError.LEARNER_NOT_READY);
            }
            return afterBootstrap(MembershipChange.newBuilder().setPromote(request.getID()).build());
        });
        reply(promoted.thenApply(members -> MemberPromoteResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(members).build()), out);
    }

    private <T> void change(MembershipChange change, Function<List<Member>, T> response, StreamObserver<T> out) {
        reply(afterBootstrap(change).thenApply(response), out);
    }

    private CompletableFuture<List<Member>> afterBootstrap(MembershipChange change) {
        return directoryReady().thenCompose(v -> raft.changeMembership(change));
    }

    /** Up to date with the leader, and holding the initial cluster (a new cluster's first moments). */
    private CompletableFuture<Void> directoryReady() {
        return raft.readBarrier().thenCompose(v -> raft.membershipBootstrapped()
                ? CompletableFuture.completedFuture(null) : bootstrapped.get());
    }

    private static <T> void reply(CompletableFuture<T> result, StreamObserver<T> out) {
        Replies.reply(result, Function.identity(), out);
    }
}
