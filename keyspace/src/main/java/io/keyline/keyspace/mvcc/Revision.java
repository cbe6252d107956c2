package io.keyline.keyspace.mvcc;

/**
 * An etcd revision: {@code main} is the store-wide revision of one write transaction, {@code sub} orders the
 * writes inside it (0, 1, 2, ...). Ordered by main, then sub.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }

    @Override
    public String toString() {
        return main + "." + sub;
    }
}
