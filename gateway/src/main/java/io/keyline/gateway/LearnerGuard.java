package io.keyline.gateway;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.keyspace.EtcdError;
import io.keyline.replication.RaftNode;

/**
 * etcd 3.4's learner serves only serializable reads and Maintenance.Status; every other request,
 * and every stream, gets "rpc not supported for learner" so that clients go to a voting member.
 */
final class LearnerGuard implements ServerInterceptor {
    private final RaftNode raft;

    LearnerGuard(RaftNode raft) {
        this.raft = raft;
    }

    static boolean supportedForLearner(Object request) {
        return request instanceof StatusRequest
                || (request instanceof RangeRequest range && range.getSerializable());
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        if (!raft.isLearner()) {
            return next.startCall(call, headers);
        }
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            refuse(call);
            return new ServerCall.Listener<>() { };
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (supportedForLearner(message)) {
                    super.onMessage(message);
                } else {
                    refused = true;
                    refuse(call);
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    private static void refuse(ServerCall<?, ?> call) {
        call.close(EtcdStatus.of(EtcdError.NOT_SUPPORTED_FOR_LEARNER).getStatus(), new Metadata());
    }
}
