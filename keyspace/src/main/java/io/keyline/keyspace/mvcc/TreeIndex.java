package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;

import java.util.HashSet;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The committed in-memory key index: key -> {@link KeyIndex}, ordered by unsigned bytes like etcd's btree.
 * Not thread-safe: {@link MvccStore} only mutates it under its write lock, and only the single writer and
 * read-lock holders read it.
 */
final class TreeIndex implements IndexView {
    final NavigableMap<ByteString, KeyIndex> tree = new TreeMap<>(KeyRange.ORDER);

    @Override
    public KeyIndex get(ByteString key) {
        return tree.get(key);
    }

    @Override
    public void forEach(KeyRange range, Predicate<KeyIndex> visitor) {
        for (KeyIndex ki : range.slice(tree).values()) {
            if (!visitor.test(ki)) {
                return;
            }
        }
    }

    void replace(KeyIndex ki) {
        tree.put(ki.key, ki);
    }

    /** Compacts every key at atRev and forgets keys with nothing left. */
    void compact(long atRev) {
        Iterator<KeyIndex> it = tree.values().iterator();
        while (it.hasNext()) {
            KeyIndex ki = it.next();
            ki.compact(atRev);
            if (ki.isEmpty()) {
                it.remove();
            }
        }
    }

    /** The revisions compaction at atRev keeps (see {@link KeyIndex#keep}). */
    Set<Revision> keep(long atRev) {
        return keep(this, atRev);
    }

    static Set<Revision> keep(IndexView index, long atRev) {
        Set<Revision> available = new HashSet<>();
        index.forEach(new KeyRange(ByteString.EMPTY, null, false), ki -> {
            ki.keep(atRev, available);
            return true;
        });
        return available;
    }

    int size() {
        return tree.size();
    }
}
