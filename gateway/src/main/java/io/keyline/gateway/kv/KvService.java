package io.keyline.gateway.kv;

import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.AlarmType;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.CompactionResponse;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.TxnResponse;
import io.keyline.gateway.Replies;
import io.keyline.gateway.ResponseHeaders;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.kv.RequestValidator;
import io.keyline.keyspace.quota.SpaceQuota;
import io.keyline.replication.Deadlines;
import io.keyline.replication.RaftNode;
import io.keyline.replication.WriteOutcome;
import io.keyline.replication.proto.LogRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** etcd's KV service: validate, hand to Raft or the store, map errors, fill the header. */
public final class KvService extends KVGrpc.KVImplBase {
    private final RaftNode raft;
    private final ResponseHeaders headers;
    private final int maxTxnOps;
    private final SpaceQuota quota;
    private final Executor wideReads;

    /** {@code wideReads} runs serializable reads of more than one key off the transport thread. */
    public KvService(RaftNode raft, ResponseHeaders headers, int maxTxnOps, SpaceQuota quota, Executor wideReads) {
        this.raft = raft;
        this.headers = headers;
        this.maxTxnOps = maxTxnOps;
        this.quota = quota;
        this.wideReads = wideReads;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
        try {
            RequestValidator.validateRange(request);
        } catch (RuntimeException e) {
            out.onError(EtcdStatus.of(e));
            return;
        }
        Supplier<RangeResponse> read = () -> raft.store().range(request);
        CompletableFuture<RangeResponse> result = !request.getSerializable()
                ? raft.readBarrier().thenApply(v -> read.get())
                // one key at most is cheap enough for the transport thread this call arrived on
                : CompletableFuture.supplyAsync(read, request.getRangeEnd().isEmpty() ? Runnable::run : wideReads);
        Replies.reply(result, r -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build(), out);
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        if (!quota.admits(raft.store().dbSize(), request)) {
            refuseForSpace(out);
            return;
        }
        writeWithinQuota(() -> RequestValidator.validatePut(request), LogRequest.newBuilder().setPut(request).build(),
                (PutResponse r) -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build(), out);
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        write(() -> RequestValidator.validateDeleteRange(request),
                LogRequest.newBuilder().setDeleteRange(request).build(),
                (DeleteRangeResponse r) -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build(), out);
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        if (!quota.admits(raft.store().dbSize(), request)) {
            refuseForSpace(out);
            return;
        }
        writeWithinQuota(() -> RequestValidator.validateTxn(request, maxTxnOps),
                LogRequest.newBuilder().setTxn(request).build(),
                (TxnResponse r) -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build(), out);
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
        write(() -> { }, LogRequest.newBuilder().setCompaction(request).build(),
                (CompactionResponse r) -> r.toBuilder().setHeader(headers.fill(r.getHeader())).build(), out);
    }

    /** As etcd: a write that would pass the quota raises the NOSPACE alarm, then fails. */
    private <T> void refuseForSpace(StreamObserver<T> out) {
        raiseNoSpace().whenComplete((ok, error) -> out.onError(EtcdStatus.of(EtcdError.NO_SPACE)));
    }

    private CompletableFuture<WriteOutcome> raiseNoSpace() {
        return Deadlines.within(raft.raiseNoSpace(), Replies.REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A put or txn that fitted when it arrived may no longer fit when applied (see KvStateMachine):
     * as etcd, its NOSPACE answer waits for the alarm it raises, unless the alarm was up already.
     */
    private <T> void writeWithinQuota(Runnable validation, LogRequest request, Function<T, T> withHeader,
            StreamObserver<T> out) {
        if (validated(validation, out)) {
            Replies.answer(raft.write(request).thenCompose(outcome ->
                    outcome.error() == EtcdError.NO_SPACE && !raft.stateMachine().isAlarmActive(AlarmType.NOSPACE)
                            ? raiseNoSpace().handle((ok, error) -> outcome)
                            : CompletableFuture.completedFuture(outcome)), withHeader, out);
        }
    }

    private <T> void write(Runnable validation, LogRequest request, Function<T, T> withHeader,
            StreamObserver<T> out) {
        if (validated(validation, out)) {
            Replies.propose(raft, request, withHeader, out);
        }
    }

    private static boolean validated(Runnable validation, StreamObserver<?> out) {
        try {
            validation.run();
            return true;
        } catch (RuntimeException e) {
            out.onError(EtcdStatus.of(e));
            return false;
        }
    }

}
