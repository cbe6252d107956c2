package io.keyline.gateway.cluster;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.ClusterGrpc;
import io.keyline.api.etcdserverpb.MemberListRequest;
import io.keyline.api.etcdserverpb.MemberListResponse;
import io.keyline.gateway.ResponseHeaders;
import java.util.List;
import java.util.function.Supplier;

/** etcd's Cluster service; membership changes arrive with replication. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final Supplier<List<Member>> members;
    private final ResponseHeaders headers;

    public ClusterService(Supplier<List<Member>> members, ResponseHeaders headers) {
        this.members = members;
        this.headers = headers;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        MemberListResponse.Builder response = MemberListResponse.newBuilder().setHeader(headers.withoutRevision());
        members.get().forEach(m -> response.addMembers(m.toProto()));
        out.onNext(response.build());
        out.onCompleted();
    }
}
