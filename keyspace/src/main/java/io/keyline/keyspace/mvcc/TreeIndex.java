package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
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
    /**
     * The same KeyIndex objects by hash: a write or point read finds its key without comparing it along a tree
     * path (Kubernetes' keys share long prefixes), and a changed key is published in place, off the tree.
     */
    private final Map<ByteString, KeyIndex> byKey = new HashMap<>();

    @Override
    public KeyIndex get(ByteString key) {
        return byKey.get(key);
    }

    @Override
    public void forEachInInterval(KeyRange range, Predicate<KeyIndex> visitor) {
        for (KeyIndex ki : range.slice(tree).values()) {
            if (!visitor.test(ki)) {
                return;
            }
        }
    }

    /** Makes {@code ki} the committed history of its key: a new key joins the index, a known one adopts it. */
    void publish(KeyIndex ki) {
        KeyIndex current = byKey.get(ki.key);
        if (current == null) {
            tree.put(ki.key, ki);
            byKey.put(ki.key, ki);
        } else if (current != ki) {
            current.adopt(ki);
        }
    }

    /** Compacts every key at atRev and forgets keys with nothing left. */
    void compact(long atRev) {
        Iterator<KeyIndex> it = tree.values().iterator();
        while (it.hasNext()) {
            KeyIndex ki = it.next();
            ki.compact(atRev);
            if (ki.isEmpty()) {
                it.remove();
                byKey.remove(ki.key);
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
