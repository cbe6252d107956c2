package io.keyline.gateway;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.keyline.api.etcdserverpb.KVGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs the KV calls that only propose on the transport thread that read them: their handlers
 * validate, queue the write and return, so handing each to the default executor first would cost
 * a thread switch per write and nothing else. Every other call (reads that scan, streams,
 * maintenance) keeps the default executor.
 */
final class ProposalCallsInline implements ServerCallExecutorSupplier {
    private static final Executor INLINE = Runnable::run;
    private static final Set<String> PROPOSALS = Set.of(
            KVGrpc.getPutMethod().getFullMethodName(),
            KVGrpc.getDeleteRangeMethod().getFullMethodName(),
            KVGrpc.getTxnMethod().getFullMethodName(),
            KVGrpc.getCompactMethod().getFullMethodName());

    @Override
    public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata metadata) {
        return PROPOSALS.contains(call.getMethodDescriptor().getFullMethodName()) ? INLINE : null;
    }
}
