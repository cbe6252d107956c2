package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;

import java.util.function.Predicate;

/** Ordered read access to key indexes: the committed tree, or the tree plus one batch's uncommitted changes. */
interface IndexView {
    /** The index of {@code key}, or null. Callers must not modify it. */
    KeyIndex get(ByteString key);

    /** Visits the indexes of the keys in {@code range} in key order until {@code visitor} returns false. */
    default void forEach(KeyRange range, Predicate<KeyIndex> visitor) {
        if (range.single()) {
            KeyIndex ki = get(range.start());
            if (ki != null) {
                visitor.test(ki);
            }
            return;
        }
        forEachInInterval(range, visitor);
    }

    /** {@link #forEach} for a range that is not a single key, which {@link #get} answers without ordering. */
    void forEachInInterval(KeyRange range, Predicate<KeyIndex> visitor);
}
