package io.keyline.keyspace.mvcc;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A generation's revisions, oldest first, with copies that share storage: a write batch copies the index of
 * every key it writes, and copying a hot key's whole history per batch made each put cost O(history). A copy
 * shares the array and appends past the end the original can see (as a Go slice does); only the newest copy
 * of a key is ever appended to (one write batch at a time, discarded batches are dead), so appends never
 * collide with a live reader, which reads only up to its own size. Dropping a prefix makes a new array.
 */
final class Revisions {
    private Revision[] slots;
    private int size;

    Revisions() {
        this(new Revision[4], 0);
    }

    private Revisions(Revision[] slots, int size) {
        this.slots = slots;
        this.size = size;
    }

    static Revisions of(Revision first) {
        Revisions r = new Revisions();
        r.add(first);
        return r;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Revision get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return slots[i];
    }

    java.util.stream.Stream<Revision> stream() {
        return Arrays.stream(slots, 0, size);
    }

    void add(Revision rev) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, Math.max(4, size * 2));
        }
        slots[size++] = rev;
    }

    /** Removes the oldest {@code n} revisions into a fresh array, leaving other copies untouched. */
    void dropFirst(int n) {
        slots = Arrays.copyOfRange(slots, n, Math.max(n + 4, size));
        size -= n;
    }

    /** A copy that shares this one's storage (see the class comment for why that is safe). */
    Revisions share() {
        return new Revisions(slots, size);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < size; i++) {
            j.add(String.valueOf(slots[i]));
        }
        return j.toString();
    }
}
