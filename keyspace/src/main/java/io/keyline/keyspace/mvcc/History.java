package io.keyline.keyspace.mvcc;

import io.keyline.api.mvccpb.Event;

import java.util.List;

/**
 * A stretch of committed history: every event of revisions from the asked start up to {@code lastRevision}
 * inclusive, in revision order. {@code lastRevision} may be below what was asked for when a size cap cut the
 * scan; it never splits a revision.
 */
public record History(List<Event> events, long lastRevision) {
}
