package io.keyline.replication;

/** Why a request could not get through Raft at all (as opposed to an etcd-level refusal). */
public final class ReplicationException extends RuntimeException {
    public enum Kind { NO_LEADER, TIMEOUT, STOPPED, LEADER_CHANGED, NOT_LEADER, BAD_LEADER_TRANSFEREE }

    private final Kind kind;

    public ReplicationException(Kind kind, Throwable cause) {
        super(kind.name(), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
