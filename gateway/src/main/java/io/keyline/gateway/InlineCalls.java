package io.keyline.gateway;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.keyline.api.etcdserverpb.KVGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs the KV calls on the transport thread that read them: writes only validate and queue a
 * proposal, and a range reads one key there and hands any wider read to the call workers (see
 * KvService), so handing each call to a worker first would cost a thread switch and nothing else.
 * Every other call (streams, maintenance) goes to the workers.
 */
final class InlineCalls implements ServerCallExecutorSupplier {
    private static final Executor INLINE = Runnable::run;
    private static final Set<String> INLINE_METHODS = Set.of(
            KVGrpc.getRangeMethod().getFullMethodName(),
            KVGrpc.getPutMethod().getFullMethodName(),
            KVGrpc.getDeleteRangeMethod().getFullMethodName(),
            KVGrpc.getTxnMethod().getFullMethodName(),
            KVGrpc.getCompactMethod().getFullMethodName());

    @Override
    public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata metadata) {
        return INLINE_METHODS.contains(call.getMethodDescriptor().getFullMethodName()) ? INLINE : null;
    }
}
