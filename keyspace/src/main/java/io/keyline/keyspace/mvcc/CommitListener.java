package io.keyline.keyspace.mvcc;

import io.keyline.api.mvccpb.Event;

import java.util.List;

/**
 * Told of every committed batch that wrote, on the writer thread, after readers can see it. It must return
 * quickly and never wait for anyone: it runs on the Raft apply path.
 */
@FunctionalInterface
public interface CommitListener {
    CommitListener NONE = (revision, events) -> { };

    /** {@code events} are the batch's writes in revision order; {@code revision} is the last of them. */
    void committed(long revision, List<Event> events);
}
