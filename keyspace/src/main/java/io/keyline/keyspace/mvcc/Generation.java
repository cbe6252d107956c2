package io.keyline.keyspace.mvcc;

/**
 * One life of a key: from the put that creates it to the delete (tombstone) that ends it. Every generation but
 * the last of a {@link KeyIndex} ends with its tombstone revision; the last one has none yet.
 * {@code ver} is the key's version at the newest revision in {@code revs} (after a restore from a compacted store
 * it comes from the stored KeyValue, not from counting).
 */
final class Generation {
    long ver;
    Revision created;
    final Revisions revs;

    Generation() {
        this(0, null, new Revisions());
    }

    Generation(long ver, Revision created, Revisions revs) {
        this.ver = ver;
        this.created = created;
        this.revs = revs;
    }

    boolean isEmpty() {
        return revs.isEmpty();
    }

    Revision first() {
        return revs.get(0);
    }

    Revision last() {
        return revs.get(revs.size() - 1);
    }

    /** Index of the newest revision with main <= atRev, or -1 if every revision is newer. */
    int newestAtOrBefore(long atRev) {
        for (int i = revs.size() - 1; i >= 0; i--) {
            if (revs.get(i).main() <= atRev) {
                return i;
            }
        }
        return -1;
    }

    /** A copy a write batch may change; it shares the revisions' storage with this one. */
    Generation copy() {
        return new Generation(ver, created, revs.share());
    }

    @Override
    public String toString() {
        return "g{ver=" + ver + ", created=" + created + ", revs=" + revs + "}";
    }
}
