package io.keyline.it;

import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import io.keyline.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watch guarantees of etcd's robustness suite, checked on one recorded stream of one watcher that saw
 * every revision from its start (no filters, no fragments): each check returns the violations it found.
 */
final class WatchHistoryChecker {
    private WatchHistoryChecker() {
    }

    static List<Event> events(List<WatchResponse> responses) {
        List<Event> out = new ArrayList<>();
        responses.forEach(r -> out.addAll(r.getEventsList()));
        return out;
    }

    /** Ordered: event revisions never go back. */
    static List<String> ordered(List<WatchResponse> responses) {
        List<String> bad = new ArrayList<>();
        long last = 0;
        for (Event e : events(responses)) {
            if (e.getKv().getModRevision() < last) {
                bad.add("revision " + e.getKv().getModRevision() + " after " + last);
            }
            last = e.getKv().getModRevision();
        }
        return bad;
    }

    /** Unique: no (revision, key) event twice. */
    static List<String> unique(List<WatchResponse> responses) {
        List<String> bad = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Event e : events(responses)) {
            String id = e.getKv().getModRevision() + "/" + e.getKv().getKey().toStringUtf8();
            if (!seen.add(id)) {
                bad.add("event " + id + " delivered twice");
            }
        }
        return bad;
    }

    /** Atomic: all events of one revision arrive in one response. */
    static List<String> atomic(List<WatchResponse> responses) {
        List<String> bad = new ArrayList<>();
        Map<Long, Integer> responseOf = new HashMap<>();
        for (int i = 0; i < responses.size(); i++) {
            for (Event e : responses.get(i).getEventsList()) {
                Integer before = responseOf.putIfAbsent(e.getKv().getModRevision(), i);
                if (before != null && before != i) {
                    bad.add("revision " + e.getKv().getModRevision() + " split over responses " + before + " and " + i);
                }
            }
        }
        return bad;
    }

    /** Bookmarkable: after a progress notification at P, no event at or below P arrives. */
    static List<String> bookmarkable(List<WatchResponse> responses) {
        List<String> bad = new ArrayList<>();
        long bookmark = 0;
        for (WatchResponse r : responses) {
            for (Event e : r.getEventsList()) {
                if (e.getKv().getModRevision() <= bookmark) {
                    bad.add("event at " + e.getKv().getModRevision() + " after progress notification at " + bookmark);
                }
            }
            if (r.getEventsCount() == 0 && !r.getCreated() && !r.getCanceled()) {
                bookmark = Math.max(bookmark, r.getHeader().getRevision());
            }
        }
        return bad;
    }

    /**
     * Reliable: every revision from {@code from} to the last event is there (every Keyline revision is a
     * write), and every update or delete whose key's previous version is in the history carries it as prev_kv.
     */
    static List<String> reliable(List<WatchResponse> responses, long from) {
        List<String> bad = new ArrayList<>();
        long expect = from;
        Map<String, KeyValue> latest = new HashMap<>();
        for (Event e : events(responses)) {
            long rev = e.getKv().getModRevision();
            if (rev > expect) {
                bad.add("revisions " + expect + ".." + (rev - 1) + " missing");
            }
            expect = rev + 1;
            String key = e.getKv().getKey().toStringUtf8();
            KeyValue prev = latest.get(key);
            if (prev != null && !prev.equals(e.getPrevKv())) {
                bad.add("event " + rev + "/" + key + " has prev_kv " + e.getPrevKv().getModRevision()
                        + " instead of " + prev.getModRevision());
            }
            if (e.getType() == Event.EventType.PUT) {
                latest.put(key, e.getKv());
            } else {
                latest.remove(key);
            }
        }
        return bad;
    }
}
