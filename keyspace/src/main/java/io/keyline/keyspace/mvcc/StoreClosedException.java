package io.keyline.keyspace.mvcc;

/** A read reached a store that was closed, e.g. while it is being replaced by a snapshot. */
public final class StoreClosedException extends IllegalStateException {
    public StoreClosedException() {
        super("the key-value store is closed");
    }
}
