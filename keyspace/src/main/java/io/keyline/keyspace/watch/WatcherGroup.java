package io.keyline.keyspace.watch;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Watchers indexed by what they watch, as etcd's watcherGroup: single-key watchers by key, range watchers by
 * start key (a lookup walks the ranges starting at or before the key). Not thread-safe: the hub's lock guards it.
 */
final class WatcherGroup {
    private final Map<ByteString, Set<Watcher>> byKey = new HashMap<>();
    private final NavigableMap<ByteString, Set<Watcher>> ranges = new TreeMap<>(KeyInterval.ORDER);
    private int size;

    void add(Watcher w) {
        Map<ByteString, Set<Watcher>> index = w.keys.single() ? byKey : ranges;
        if (index.computeIfAbsent(w.keys.start(), k -> new LinkedHashSet<>()).add(w)) {
            size++;
        }
    }

    boolean remove(Watcher w) {
        Map<ByteString, Set<Watcher>> index = w.keys.single() ? byKey : ranges;
        Set<Watcher> set = index.get(w.keys.start());
        if (set == null || !set.remove(w)) {
            return false;
        }
        if (set.isEmpty()) {
            index.remove(w.keys.start());
        }
        size--;
        return true;
    }

    /** Every watcher whose keys include {@code key}. */
    List<Watcher> matching(ByteString key) {
        List<Watcher> out = new ArrayList<>();
        Set<Watcher> exact = byKey.get(key);
        if (exact != null) {
            out.addAll(exact);
        }
        for (Set<Watcher> set : ranges.headMap(key, true).values()) {
            for (Watcher w : set) {
                if (w.keys.contains(key)) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    List<Watcher> all() {
        List<Watcher> out = new ArrayList<>(size);
        byKey.values().forEach(out::addAll);
        ranges.values().forEach(out::addAll);
        return out;
    }

    void clear() {
        byKey.clear();
        ranges.clear();
        size = 0;
    }

    int size() {
        return size;
    }
}
