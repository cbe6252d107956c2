package io.keyline.gateway.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.mvcc.StoreClosedException;
import io.keyline.replication.ReplicationException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one table from Keyline's internal errors to etcd's gRPC status codes and exact messages
 * (etcd's rpctypes). Clients match on these strings byte for byte.
 */
public final class EtcdStatus {
    private static final Map<EtcdError, Status> KEYSPACE = new EnumMap<>(EtcdError.class);
    private static final Map<ReplicationException.Kind, Status> REPLICATION =
            new EnumMap<>(ReplicationException.Kind.class);

    static {
        KEYSPACE.put(EtcdError.EMPTY_KEY, Status.INVALID_ARGUMENT.withDescription("etcdserver: key is not provided"));
        KEYSPACE.put(EtcdError.KEY_NOT_FOUND, Status.INVALID_ARGUMENT.withDescription("etcdserver: key not found"));
        KEYSPACE.put(EtcdError.VALUE_PROVIDED, Status.INVALID_ARGUMENT.withDescription("etcdserver: value is provided"));
        KEYSPACE.put(EtcdError.LEASE_PROVIDED, Status.INVALID_ARGUMENT.withDescription("etcdserver: lease is provided"));
        KEYSPACE.put(EtcdError.TOO_MANY_OPS,
                Status.INVALID_ARGUMENT.withDescription("etcdserver: too many operations in txn request"));
        KEYSPACE.put(EtcdError.DUPLICATE_KEY,
                Status.INVALID_ARGUMENT.withDescription("etcdserver: duplicate key given in txn request"));
        KEYSPACE.put(EtcdError.INVALID_SORT_OPTION,
                Status.INVALID_ARGUMENT.withDescription("etcdserver: invalid sort option"));
        KEYSPACE.put(EtcdError.COMPACTED,
                Status.OUT_OF_RANGE.withDescription("etcdserver: mvcc: required revision has been compacted"));
        KEYSPACE.put(EtcdError.FUTURE_REV,
                Status.OUT_OF_RANGE.withDescription("etcdserver: mvcc: required revision is a future revision"));
        KEYSPACE.put(EtcdError.LEASE_NOT_FOUND, Status.NOT_FOUND.withDescription("etcdserver: requested lease not found"));
        KEYSPACE.put(EtcdError.LEASE_EXISTS,
                Status.FAILED_PRECONDITION.withDescription("etcdserver: lease already exists"));
        KEYSPACE.put(EtcdError.LEASE_TTL_TOO_LARGE, Status.OUT_OF_RANGE.withDescription("etcdserver: too large lease TTL"));
        KEYSPACE.put(EtcdError.REQUEST_TOO_LARGE,
                Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large"));
        KEYSPACE.put(EtcdError.NO_SPACE,
                Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: mvcc: database space exceeded"));
        // etcd sends these two as a watch's cancel_reason, not as a status
        KEYSPACE.put(EtcdError.EMPTY_WATCHER_RANGE,
                Status.INVALID_ARGUMENT.withDescription("mvcc: watcher range is empty"));
        KEYSPACE.put(EtcdError.WATCHER_DUPLICATE_ID,
                Status.INVALID_ARGUMENT.withDescription("mvcc: duplicate watch ID provided on the WatchStream"));
        KEYSPACE.put(EtcdError.MEMBER_EXIST,
                Status.FAILED_PRECONDITION.withDescription("etcdserver: member ID already exist"));
        KEYSPACE.put(EtcdError.PEER_URL_EXIST,
                Status.FAILED_PRECONDITION.withDescription("etcdserver: Peer URLs already exists"));
        // etcd 3.4 maps this one to its client-side error type, which gRPC sends as Unknown.
        KEYSPACE.put(EtcdError.MEMBER_NOT_ENOUGH_STARTED, Status.UNKNOWN
                .withDescription("etcdserver: re-configuration failed due to not enough started members"));
        KEYSPACE.put(EtcdError.MEMBER_BAD_URLS,
                Status.INVALID_ARGUMENT.withDescription("etcdserver: given member URLs are invalid"));
        KEYSPACE.put(EtcdError.MEMBER_NOT_FOUND, Status.NOT_FOUND.withDescription("etcdserver: member not found"));
        KEYSPACE.put(EtcdError.MEMBER_NOT_LEARNER,
                Status.FAILED_PRECONDITION.withDescription("etcdserver: can only promote a learner member"));
        KEYSPACE.put(EtcdError.LEARNER_NOT_READY, Status.FAILED_PRECONDITION
                .withDescription("etcdserver: can only promote a learner member which is in sync with leader"));
        KEYSPACE.put(EtcdError.UNHEALTHY_CLUSTER, Status.UNAVAILABLE.withDescription("etcdserver: unhealthy cluster"));
        KEYSPACE.put(EtcdError.NOT_SUPPORTED_FOR_LEARNER,
                Status.UNAVAILABLE.withDescription("etcdserver: rpc not supported for learner"));
        KEYSPACE.put(EtcdError.TOO_MANY_LEARNERS,
                Status.FAILED_PRECONDITION.withDescription("etcdserver: too many learner members in cluster"));

        REPLICATION.put(ReplicationException.Kind.NO_LEADER, Status.UNAVAILABLE.withDescription("etcdserver: no leader"));
        REPLICATION.put(ReplicationException.Kind.TIMEOUT,
                Status.UNAVAILABLE.withDescription("etcdserver: request timed out"));
        REPLICATION.put(ReplicationException.Kind.STOPPED, Status.UNAVAILABLE.withDescription("etcdserver: server stopped"));
        REPLICATION.put(ReplicationException.Kind.NOT_LEADER,
                Status.FAILED_PRECONDITION.withDescription("etcdserver: not leader"));
        REPLICATION.put(ReplicationException.Kind.BAD_LEADER_TRANSFEREE,
                Status.FAILED_PRECONDITION.withDescription("etcdserver: bad leader transferee"));
        REPLICATION.put(ReplicationException.Kind.LEADER_CHANGED,
                Status.UNAVAILABLE.withDescription("etcdserver: leader changed"));
    }

    private EtcdStatus() {
    }

    /** etcd's text for an error, as a watch's cancel_reason carries it. */
    public static String message(EtcdError error) {
        return KEYSPACE.get(error).getDescription();
    }

    public static StatusRuntimeException of(EtcdError error) {
        return KEYSPACE.get(error).asRuntimeException();
    }

    /** Maps any failure of a request to what etcd would answer; unknown failures are etcd's internal errors. */
    public static StatusRuntimeException of(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (cause instanceof KeyspaceException ke) {
            return of(ke.error());
        }
        if (cause instanceof ReplicationException re) {
            return REPLICATION.get(re.kind()).asRuntimeException();
        }
        if (cause instanceof StoreClosedException) {
            return REPLICATION.get(ReplicationException.Kind.STOPPED).asRuntimeException();
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return REPLICATION.get(ReplicationException.Kind.TIMEOUT).asRuntimeException();
        }
        return Status.UNKNOWN.withDescription(String.valueOf(cause.getMessage())).asRuntimeException();
    }
}
