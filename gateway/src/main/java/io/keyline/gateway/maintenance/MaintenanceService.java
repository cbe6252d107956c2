package io.keyline.gateway.maintenance;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.AlarmMember;
import io.keyline.api.etcdserverpb.AlarmRequest;
import io.keyline.api.etcdserverpb.AlarmResponse;
import io.keyline.api.etcdserverpb.AlarmType;
import io.keyline.api.etcdserverpb.DefragmentRequest;
import io.keyline.api.etcdserverpb.DefragmentResponse;
import io.keyline.api.etcdserverpb.HashKVRequest;
import io.keyline.api.etcdserverpb.HashKVResponse;
import io.keyline.api.etcdserverpb.HashRequest;
import io.keyline.api.etcdserverpb.HashResponse;
import io.keyline.api.etcdserverpb.MaintenanceGrpc;
import io.keyline.api.etcdserverpb.MoveLeaderRequest;
import io.keyline.api.etcdserverpb.MoveLeaderResponse;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.etcdserverpb.SnapshotRequest;
import io.keyline.api.etcdserverpb.SnapshotResponse;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.api.etcdserverpb.StatusResponse;
import io.keyline.gateway.ResponseHeaders;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.keyspace.mvcc.HashKV;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.replication.RaftNode;
import io.keyline.replication.proto.LogRequest;
import java.nio.file.Path;
import java.util.List;

/** etcd's Maintenance service for what this member can answer from its own state. */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    /** The etcd API version we implement; Kubernetes enables features (consistent list from cache) by it. */
    public static final String ETCD_VERSION = "3.5.17";
    public static final String ETCD_CLUSTER_VERSION = "3.5.0";
    /** etcd gives a leader transfer about one election timeout; ours are 1-2 s. */
    static final long MOVE_LEADER_TIMEOUT_MS = 5_000;

    private final RaftNode raft;
    private final ResponseHeaders headers;

    private final SnapshotStreamer snapshots;

    public MaintenanceService(RaftNode raft, ResponseHeaders headers, Path scratchDir) {
        this.raft = raft;
        this.headers = headers;
        this.snapshots = new SnapshotStreamer(scratchDir);
    }

    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
        snapshots.stream(raft.store(), headers.current(), out);
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        try {
            MvccStore store = raft.store();
            out.onNext(StatusResponse.newBuilder()
                    .setHeader(headers.current())
                    .setVersion(ETCD_VERSION)
                    .setDbSize(store.dbSize())
                    .setDbSizeInUse(store.dbSizeInUse())
                    .setLeader(raft.leaderId())
                    .setRaftIndex(raft.commitIndex())
                    .setRaftTerm(raft.term())
                    .setRaftAppliedIndex(raft.appliedIndex())
                    .setIsLearner(raft.isLearner())
                    .addAllErrors(raft.stateMachine().activeAlarms().stream()
                            .map(a -> "memberID:" + Long.toUnsignedString(a.getMemberID()) + " alarm:" + a.getAlarm() + " ")
                            .toList())
                    .build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(EtcdStatus.of(e));
        }
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
        if (request.getAction() == AlarmRequest.AlarmAction.GET) {
            // etcd 3.5 answers alarms without a header.
            out.onNext(AlarmResponse.newBuilder().addAllAlarms(activeAlarms(request.getAlarm())).build());
            out.onCompleted();
            return;
        }
        raft.write(LogRequest.newBuilder().setAlarm(request).build()).whenComplete((outcome, error) -> {
            if (error != null || outcome.failed()) {
                out.onError(error != null ? EtcdStatus.of(error) : EtcdStatus.of(outcome.error()));
                return;
            }
            AlarmResponse changed = (AlarmResponse) outcome.response();
            out.onNext(changed);
            out.onCompleted();
        });
    }

    /** etcd's alarm GET: every alarm for NONE, else those of the asked type. */
    private List<AlarmMember> activeAlarms(AlarmType type) {
        return raft.stateMachine().activeAlarms().stream()
                .filter(a -> type == AlarmType.NONE || a.getAlarm() == type)
                .toList();
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
        try {
            raft.store().defragment();
            // etcd answers a defragment with no header at all.
            out.onNext(DefragmentResponse.getDefaultInstance());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(EtcdStatus.of(e));
        }
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
        raft.transferLeadership(request.getTargetID(), MOVE_LEADER_TIMEOUT_MS).whenComplete((ok, error) -> {
            if (error != null) {
                out.onError(EtcdStatus.of(error));
            } else {
                out.onNext(MoveLeaderResponse.newBuilder().setHeader(headers.current()).build());
                out.onCompleted();
            }
        });
    }

    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> out) {
        try {
            int hash = raft.store().hash();
            out.onNext(HashResponse.newBuilder().setHeader(headers.current()).setHash(hash).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(EtcdStatus.of(e));
        }
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
        try {
            HashKV h = raft.store().hashKV(request.getRevision());
            out.onNext(HashKVResponse.newBuilder()
                    .setHeader(headers.fill(ResponseHeader.newBuilder().setRevision(h.currentRevision()).build()))
                    .setHash(h.hash())
                    .setCompactRevision(h.compactRevision())
                    .build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(EtcdStatus.of(e));
        }
    }
}
