package io.keyline.gateway;

import io.grpc.stub.StreamObserver;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.replication.Deadlines;
import io.keyline.replication.RaftNode;
import io.keyline.replication.WriteOutcome;
import io.keyline.replication.proto.LogRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** How a unary service call answers: a proposal's outcome or a read, within etcd's request timeout. */
public final class Replies {
    /** etcd's request timeout (5 s plus twice the election timeout): past it, "request timed out". */
    public static final long REQUEST_TIMEOUT_SECONDS = 7;

    private Replies() {}

    /** Proposes {@code request}; its etcd-level refusal or its response (with a header) answers the call. */
    public static <T> void propose(RaftNode raft, LogRequest request, Function<T, T> withHeader, StreamObserver<T> out) {
        answer(raft.write(request), withHeader, out);
    }

    /** A proposal's outcome answers the call: its etcd-level refusal or its response, with a header. */
    @SuppressWarnings("unchecked")
    public static <T> void answer(CompletableFuture<WriteOutcome> written, Function<T, T> withHeader,
            StreamObserver<T> out) {
        reply(written.thenApply(outcome -> {
            if (outcome.failed()) {
                throw EtcdStatus.of(outcome.error());
            }
            return (T) outcome.response();
        }), withHeader, out);
    }

    /** Answers the call with {@code result} once it completes, or etcd's error for its failure or timeout. */
    public static <T> void reply(CompletableFuture<T> result, Function<T, T> withHeader, StreamObserver<T> out) {
        Deadlines.within(result, REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((response, error) -> {
            if (error != null) {
                out.onError(EtcdStatus.of(error));
                return;
            }
            try {
                out.onNext(withHeader.apply(response));
                out.onCompleted();
            } catch (RuntimeException e) {
                out.onError(EtcdStatus.of(e));
            }
        });
    }
}
