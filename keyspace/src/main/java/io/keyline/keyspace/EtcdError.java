package io.keyline.keyspace;

/**
 * The etcd-level failures the keyspace can report. Names only: the gateway owns the single table that maps
 * each to its gRPC status code and etcd's exact message string, so clients that match messages byte for byte
 * keep working.
 */
public enum EtcdError {
    EMPTY_KEY,
    KEY_NOT_FOUND,
    VALUE_PROVIDED,
    LEASE_PROVIDED,
    TOO_MANY_OPS,
    DUPLICATE_KEY,
    INVALID_SORT_OPTION,
    COMPACTED,
    FUTURE_REV,
    LEASE_NOT_FOUND,
    LEASE_EXISTS,
    LEASE_TTL_TOO_LARGE,
    REQUEST_TOO_LARGE,
    NO_SPACE,
    EMPTY_WATCHER_RANGE,
    WATCHER_DUPLICATE_ID,
    MEMBER_EXIST,
    PEER_URL_EXIST,
    MEMBER_NOT_ENOUGH_STARTED,
    MEMBER_BAD_URLS,
    MEMBER_NOT_FOUND,
    MEMBER_NOT_LEARNER,
    LEARNER_NOT_READY,
    TOO_MANY_LEARNERS,
    UNHEALTHY_CLUSTER,
    NOT_SUPPORTED_FOR_LEARNER
}
