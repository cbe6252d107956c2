package io.keyline.keyspace.watch;

import io.keyline.api.mvccpb.Event;

/**
 * One watcher of a {@link WatchStream}. {@link #nextRev} is the first revision it has not been handed (etcd's
 * minRev); it and {@link #synced} are guarded by the hub's lock. A synced watcher gets each revision as it
 * commits; an unsynced one is caught up from history by the hub's sync loop.
 */
final class Watcher {
    final long id;
    final WatchStream stream;
    final KeyInterval keys;
    final WatchOptions options;
    long nextRev;
    boolean synced;
    /** Set once the client cancelled it or it was cancelled for compaction: nothing more is sent for it. */
    volatile boolean removed;
    /** Events went out since the last progress tick, so the tick sends no progress notification (etcd's rule). */
    volatile boolean sentSinceTick;

    Watcher(long id, WatchStream stream, KeyInterval keys, WatchOptions options, long nextRev) {
        this.id = id;
        this.stream = stream;
        this.keys = keys;
        this.options = options;
        this.nextRev = nextRev;
    }

    /** Whether this watcher wants {@code e} at all: its key, at or after its next revision, not filtered out. */
    boolean wants(Event e) {
        if (e.getKv().getModRevision() < nextRev || !keys.contains(e.getKv().getKey())) {
            return false;
        }
        return e.getType() == Event.EventType.PUT ? !options.noPut() : !options.noDelete();
    }
}
