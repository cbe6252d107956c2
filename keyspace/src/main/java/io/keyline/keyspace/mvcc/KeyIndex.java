package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The revision history of one key as a list of generations (see {@link Generation}).
 *
 * <p>Example: put(a)@1.0, put(a)@2.0, delete(a)@3.0, put(a)@4.0, put(a)@5.0 gives
 * <pre>
 *   generations: {created 1.0, ver 3, revs [1.0 2.0 3.0]}   (3.0 is the tombstone)
 *                {created 4.0, ver 2, revs [4.0 5.0]}       (the live generation)
 * </pre>
 * get(2) finds 2.0 with version 2; get(3) finds nothing (deleted at 3); get(4) finds 4.0 with version 1.
 *
 * <p>Compaction at R keeps, per generation that is still alive after R, only the newest revision <= R (so reads
 * at R and later see the same data) and drops older generations. Compact(4) on the example keeps 4.0 and 5.0 and
 * drops the first generation entirely. Compact(3) on it keeps nothing of the first generation: its newest
 * revision <= 3 is the tombstone, and a tombstone alone is worthless, so the whole generation goes.
 *
 * <p>Not thread-safe; {@link MvccStore} guards it.
 */
final class KeyIndex {
    final ByteString key;
    private Revision modified;
    final List<Generation> generations;

    KeyIndex(ByteString key) {
        this(key, null, new ArrayList<>());
    }

    private KeyIndex(ByteString key, Revision modified, List<Generation> generations) {
        this.key = key;
        this.modified = modified;
        this.generations = generations;
    }

    /** What a read at some revision sees of this key: the revision holding the value, creation and version. */
    record Hit(Revision modified, Revision created, long version) {
    }

    Revision modified() {
        return modified;
    }

    void put(Revision rev) {
        if (modified != null && rev.compareTo(modified) <= 0) {
            throw new IllegalStateException("put of " + key.toStringUtf8() + " at " + rev + " not after " + modified);
        }
        if (generations.isEmpty()) {
            generations.add(new Generation());
        }
        Generation g = generations.get(generations.size() - 1);
        if (g.isEmpty()) {
            g.created = rev;
        }
        g.revs.add(rev);
        g.ver++;
        modified = rev;
    }

    /** Ends the live generation at {@code rev}; the key must be alive. */
    void tombstone(Revision rev) {
        if (isEmpty() || generations.get(generations.size() - 1).isEmpty()) {
            throw new IllegalStateException("tombstone of " + key.toStringUtf8() + " which is not alive");
        }
        put(rev);
        generations.add(new Generation());
    }

    /**
     * Starts the index from a stored KeyValue during restore: the store may have been compacted, so creation and
     * version come from the value rather than from counting puts.
     */
    void restore(Revision created, Revision modified, long version) {
        if (!generations.isEmpty()) {
            throw new IllegalStateException("restore of non-empty index of " + key.toStringUtf8());
        }
        generations.add(new Generation(version, created, Revisions.of(modified)));
        this.modified = modified;
    }

    /** The visible revision at atRev, or null when the key did not exist (or was deleted) at atRev. */
    Hit get(long atRev) {
        Generation g = findGeneration(atRev);
        if (g == null) {
            return null;
        }
        int n = g.newestAtOrBefore(atRev);
        if (n == -1) {
            return null;
        }
        return new Hit(g.revs.get(n), g.created, g.ver - (g.revs.size() - n - 1));
    }

    /** The generation alive at atRev, walking from newest; null if the key was absent or deleted at atRev. */
    private Generation findGeneration(long atRev) {
        int last = generations.size() - 1;
        for (int i = last; i >= 0; i--) {
            Generation g = generations.get(i);
            if (g.isEmpty()) {
                continue;
            }
            if (i != last && g.last().main() <= atRev) {
                return null; // the key's tombstone is at or before atRev
            }
            if (g.first().main() <= atRev) {
                return g;
            }
        }
        return null;
    }

    /**
     * Adds to {@code available} the revisions of this key that compaction at atRev must keep (etcd's Keep, which
     * is also the set its Compact leaves in the backend): the newest revision <= atRev of the first generation
     * still alive after atRev, unless that revision is the generation's tombstone.
     */
    void keep(long atRev, Set<Revision> available) {
        if (isEmpty()) {
            return;
        }
        int gi = compactedGeneration(atRev);
        Generation g = generations.get(gi);
        if (g.isEmpty()) {
            return;
        }
        int n = g.newestAtOrBefore(atRev);
        if (n == -1) {
            return;
        }
        boolean isTombstone = n == g.revs.size() - 1 && gi != generations.size() - 1;
        if (!isTombstone) {
            available.add(g.revs.get(n));
        }
    }

    /** Drops every revision not needed to read at atRev or later. Afterwards {@link #isEmpty()} may hold. */
    void compact(long atRev) {
        if (isEmpty()) {
            throw new IllegalStateException("compact of empty index of " + key.toStringUtf8());
        }
        int gi = compactedGeneration(atRev);
        Generation g = generations.get(gi);
        if (!g.isEmpty()) {
            int n = g.newestAtOrBefore(atRev);
            if (n > 0) {
                g.revs.dropFirst(n);
            }
            if (g.revs.size() == 1 && gi != generations.size() - 1) {
                gi++; // only the tombstone is left: the whole generation is history
            }
        }
        generations.subList(0, gi).clear();
    }

    /** The first generation whose tombstone is after atRev, or the last generation. */
    private int compactedGeneration(long atRev) {
        int gi = 0;
        while (gi < generations.size() - 1 && generations.get(gi).last().main() <= atRev) {
            gi++;
        }
        return gi;
    }

    /** True when nothing is left: no generations, or one empty generation. */
    boolean isEmpty() {
        return generations.isEmpty() || (generations.size() == 1 && generations.get(0).isEmpty());
    }

    /**
     * Takes over the history of {@code changed}, a copy of this index a batch wrote to, so the committed index
     * keeps this object; the copy must not be used afterwards.
     */
    void adopt(KeyIndex changed) {
        generations.clear();
        generations.addAll(changed.generations);
        modified = changed.modified;
    }

    KeyIndex copy() {
        List<Generation> gens = new ArrayList<>(generations.size());
        for (Generation g : generations) {
            gens.add(g.copy());
        }
        return new KeyIndex(key, modified, gens);
    }

    @Override
    public String toString() {
        return "KeyIndex{" + key.toStringUtf8() + ", modified=" + modified + ", " + generations + "}";
    }
}
