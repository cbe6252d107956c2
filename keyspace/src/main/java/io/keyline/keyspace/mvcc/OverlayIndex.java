package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One batch's view of the key index: the committed {@link TreeIndex} with the batch's changed keys laid over it.
 * A key is copied into the overlay on its first write, so the committed tree stays untouched (readers keep seeing
 * committed state, and discarding the batch is just dropping the overlay) until {@link #applyTo} at commit.
 */
final class OverlayIndex implements IndexView {
    private final TreeIndex base;
    private final NavigableMap<ByteString, KeyIndex> changed = new TreeMap<>(KeyRange.ORDER);

    OverlayIndex(TreeIndex base) {
        this.base = base;
    }

    @Override
    public KeyIndex get(ByteString key) {
        KeyIndex ki = changed.get(key);
        return ki != null ? ki : base.get(key);
    }

    /** The index of {@code key} this batch may modify (a copy of the committed one, or a new one). */
    KeyIndex forWrite(ByteString key) {
        return changed.computeIfAbsent(key, k -> {
            KeyIndex committed = base.get(k);
            return committed != null ? committed.copy() : new KeyIndex(k);
        });
    }

    @Override
    public void forEachInInterval(KeyRange range, Predicate<KeyIndex> visitor) {
        Iterator<Map.Entry<ByteString, KeyIndex>> a = range.slice(base.tree).entrySet().iterator();
        Iterator<Map.Entry<ByteString, KeyIndex>> b = range.slice(changed).entrySet().iterator();
        Map.Entry<ByteString, KeyIndex> x = next(a);
        Map.Entry<ByteString, KeyIndex> y = next(b);
        while (x != null || y != null) {
            KeyIndex out;
            if (y == null || (x != null && KeyRange.ORDER.compare(x.getKey(), y.getKey()) < 0)) {
                out = x.getValue();
                x = next(a);
            } else {
                if (x != null && x.getKey().equals(y.getKey())) {
                    x = next(a); // the overlay's copy replaces the committed one
                }
                out = y.getValue();
                y = next(b);
            }
            if (!visitor.test(out)) {
                return;
            }
        }
    }

    private static <T> T next(Iterator<T> it) {
        return it.hasNext() ? it.next() : null;
    }

    /**
     * Publishes this batch's key changes into the committed tree; caller holds the store's write lock. The
     * overlay forgets them, since the committed index now owns their histories.
     */
    void applyTo(TreeIndex tree) {
        for (KeyIndex ki : changed.values()) {
            tree.publish(ki);
        }
        changed.clear();
    }
}
