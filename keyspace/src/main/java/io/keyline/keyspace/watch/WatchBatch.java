package io.keyline.keyspace.watch;

import io.keyline.api.mvccpb.Event;

import java.util.List;

/**
 * What a stream sends for one watcher, as etcd's mvcc WatchResponse: events (all events of each revision it
 * covers, in order) with the revision the header reports; or, with no events, a progress notification up to
 * {@code revision}; or a cancellation because history from the watcher's next revision was compacted at
 * {@code compactRevision}. A progress notification for the whole stream has watch id -1.
 */
public record WatchBatch(long watchId, long revision, List<Event> events, long compactRevision) {
    /** etcd's InvalidWatchID: the id of a RequestProgress answer, which speaks for every watcher of the stream. */
    public static final long STREAM_WIDE = -1;

    public boolean compacted() {
        return compactRevision != 0;
    }
}
