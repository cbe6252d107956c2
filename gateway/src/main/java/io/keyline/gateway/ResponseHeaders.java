package io.keyline.gateway;

import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.replication.RaftNode;

/** Fills the parts of a response header that belong to this member, as etcd's header filler does. */
public final class ResponseHeaders {
    private final long clusterId;
    private final long memberId;
    private final RaftNode raft;

    public ResponseHeaders(long clusterId, long memberId, RaftNode raft) {
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.raft = raft;
    }

    /** Keeps the revision the operation set; a request that set none reports the store's current revision. */
    public ResponseHeader fill(ResponseHeader fromStore) {
        return at(fromStore.getRevision() != 0 ? fromStore.getRevision() : raft.store().currentRevision());
    }

    /** A header reporting exactly {@code revision}, as etcd's watch responses do (0 included). */
    public ResponseHeader at(long revision) {
        return ResponseHeader.newBuilder()
                .setClusterId(clusterId)
                .setMemberId(memberId)
                .setRevision(revision)
                .setRaftTerm(raft.term())
                .build();
    }

    public ResponseHeader current() {
        return fill(ResponseHeader.getDefaultInstance());
    }

    /** etcd's Cluster service reports no store revision in its headers. */
    public ResponseHeader withoutRevision() {
        return ResponseHeader.newBuilder()
                .setClusterId(clusterId)
                .setMemberId(memberId)
                .setRaftTerm(raft.term())
                .build();
    }

    public long memberId() {
        return memberId;
    }
}
