package io.keyline.keyspace.mvcc;

import io.keyline.api.mvccpb.KeyValue;

/** What a read needs: the key index, the values behind revisions, and the compaction floor. */
interface ReadView {
    IndexView index();

    /** The stored KeyValue of a live (non-tombstone) revision that the index returned. */
    KeyValue value(Revision rev);

    /** Reads below this revision fail with COMPACTED; -1 when never compacted (etcd's value). */
    long compactRevision();
}
