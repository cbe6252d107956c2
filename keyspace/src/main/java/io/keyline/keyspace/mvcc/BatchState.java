package io.keyline.keyspace.mvcc;

import io.keyline.api.mvccpb.Event;
import io.keyline.api.mvccpb.KeyValue;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Everything one {@link MvccBatch} has done and not yet committed: the overlaid key index, the new rev entries
 * (readable by later calls of the batch, invisible to everyone else until commit), the rev keys compaction
 * deletes, and the batch's running revisions.
 */
final class BatchState implements ReadView {
    record PendingWrite(KeyValue kv, boolean tombstone) {
    }

    final MvccStore store;
    final OverlayIndex index;
    final NavigableMap<Revision, PendingWrite> pending = new TreeMap<>();
    /** Every write of the batch as a watch event, in revision order, even one the batch's own compaction drops. */
    final List<Event> events = new ArrayList<>();
    final List<byte[]> deletions = new ArrayList<>();
    /** Compactions to apply to the committed index at commit, in order. */
    final List<Long> compactions = new ArrayList<>();
    long currentRev;
    long compactRev;

    BatchState(MvccStore store, TreeIndex committed, long currentRev, long compactRev) {
        this.store = store;
        this.index = new OverlayIndex(committed);
        this.currentRev = currentRev;
        this.compactRev = compactRev;
    }

    void write(Revision rev, PendingWrite w) {
        pending.put(rev, w);
        events.add(RevKeys.event(rev, w.kv(), w.tombstone()));
    }

    @Override
    public IndexView index() {
        return index;
    }

    @Override
    public KeyValue value(Revision rev) {
        PendingWrite w = pending.get(rev);
        return w != null ? w.kv() : store.readValue(rev);
    }

    @Override
    public long compactRevision() {
        return compactRev;
    }
}
