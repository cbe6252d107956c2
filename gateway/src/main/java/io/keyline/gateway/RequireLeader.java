package io.keyline.gateway;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.replication.RaftNode;
import io.keyline.replication.ReplicationException;

/**
 * etcd clients send {@code hasleader: true} to be told at once, rather than after a timeout,
 * that the member they reached has no leader (kube-apiserver does, and then tries another).
 */
public final class RequireLeader implements ServerInterceptor {
    static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
    /** True in the context of a call that carried {@code hasleader: true}. */
    public static final Context.Key<Boolean> ASKED = Context.keyWithDefault("hasleader", false);

    private final RaftNode raft;

    RequireLeader(RaftNode raft) {
        this.raft = raft;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        if (!"true".equals(headers.get(HAS_LEADER))) {
            return next.startCall(call, headers);
        }
        if (!raft.hasLeader()) {
            var refusal = EtcdStatus.of(new ReplicationException(ReplicationException.Kind.NO_LEADER, null));
            call.close(refusal.getStatus(), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        // streams that asked are also cancelled if the member later loses its leader (LeaderMonitor)
        return Contexts.interceptCall(Context.current().withValue(ASKED, true), call, headers, next);
    }
}
