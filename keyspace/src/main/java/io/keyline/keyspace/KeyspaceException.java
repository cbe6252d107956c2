package io.keyline.keyspace;

/**
 * An etcd-level failure of one request: it goes into that request's response and never stops the node
 * (storage failures are different: they surface as {@link IllegalStateException} or RocksDB errors).
 */
public class KeyspaceException extends RuntimeException {
    private final EtcdError error;

    public KeyspaceException(EtcdError error) {
        super(error.name(), null, false, false); // expected control flow: no stack trace needed
        this.error = error;
    }

    public EtcdError error() {
        return error;
    }
}
