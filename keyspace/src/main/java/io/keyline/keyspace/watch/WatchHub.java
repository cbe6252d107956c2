package io.keyline.keyspace.watch;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.mvccpb.Event;
import io.keyline.api.mvccpb.KeyValue;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.mvcc.CommitListener;
import io.keyline.keyspace.mvcc.History;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.keyspace.mvcc.StoreClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * etcd's watchable store over one member's applied state. Synced watchers get each committed revision from
 * {@link #committed} (the apply thread, which never waits for a client); unsynced ones (started in the past,
 * fell behind, or re-syncing after the store was replaced by a snapshot) are caught up from MVCC history by a
 * sync thread that reads without holding {@link #mu}, then joins the synced set once it has reached
 * {@link #lastRev}.
 *
 * <p>Invariant: every event of revisions up to {@code lastRev} has been queued to each synced watcher that wants
 * it; an unsynced watcher has been queued everything before its {@code nextRev}. So a RequestProgress answered
 * with {@code lastRev} while all of a stream's watchers are synced never runs ahead of an event (etcd #15220).
 * Lock order: {@link #mu}, then the store's own lock (history reads); the apply thread holds no store lock when
 * it calls in.
 */
public final class WatchHub implements CommitListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);
    /** Batches a stream may hold unsent, etcd's chanBufLen; for tests. */
    static final int STREAM_BUFFER = 128;
    /** etcd's maxWatchersPerSync. */
    static final int MAX_WATCHERS_PER_SYNC = 512;
    /** Events read from history per sync round: bounds the memory and the size of one catch-up response. */
    static final int MAX_EVENTS_PER_SYNC = 1000;
    /** A gap this small after a lock-free catch-up read is closed under the lock, so steady writes cannot starve it. */
    static final long FINAL_GAP_REVISIONS = 64;
    static final long SYNC_INTERVAL_MS = 100;

    private final ReentrantLock mu = new ReentrantLock();
    private final Condition work = mu.newCondition();
    private final WatcherGroup synced = new WatcherGroup();
    private final Set<Watcher> unsynced = new LinkedHashSet<>();
    private volatile MvccStore store;
    private long lastRev;
    private boolean wakeRequested;
    private final Thread syncer;
    private volatile boolean closed;

    public WatchHub() {
        syncer = new Thread(this::syncLoop, "watch-sync");
        syncer.setDaemon(true);
        syncer.start();
    }

    /**
     * Serves watches from {@code s} from now on: the first store as it is; a replacement (a follower installed a
     * leader's snapshot) sends every watcher back to catch up from its own next revision in the new store.
     */
    public void attach(MvccStore s) {
        mu.lock();
        try {
            boolean replacing = store != null;
            store = s;
            if (replacing) {
                for (Watcher w : synced.all()) {
                    w.nextRev = Math.max(w.nextRev, lastRev + 1);
                    w.synced = false;
                    unsynced.add(w);
                }
                synced.clear();
                wakeLocked();
            }
            lastRev = s.currentRevision();
            s.onCommit(this);
            if (replacing) {
                LOG.info("watchers re-syncing against the restored store at revision {}", lastRev);
            }
        } finally {
            mu.unlock();
        }
    }

    public WatchStream newStream() {
        return new WatchStream(this);
    }

    /** The revision up to which every synced watcher has been handed its events. */
    public long revision() {
        mu.lock();
        try {
            return lastRev;
        } finally {
            mu.unlock();
        }
    }

    /** Never throws: a failure here must not look like a storage failure to the apply path. */
    @Override
    public void committed(long revision, List<Event> events) {
        mu.lock();
        try {
            notifyLocked(revision, events);
        } catch (RuntimeException e) {
            LOG.error("watch notification of revision {} failed", revision, e);
        } finally {
            mu.unlock();
        }
    }

    private void notifyLocked(long revision, List<Event> events) {
        if (synced.size() == 0) {
            lastRev = revision;
            return;
        }
        Map<Watcher, List<Event>> byWatcher = new LinkedHashMap<>();
        for (Event e : events) {
            for (Watcher w : synced.matching(e.getKv().getKey())) {
                if (w.wants(e)) {
                    byWatcher.computeIfAbsent(w, k -> new ArrayList<>()).add(e);
                }
            }
        }
        boolean behind = false;
        for (Map.Entry<Watcher, List<Event>> e : byWatcher.entrySet()) {
            Watcher w = e.getKey();
            if (!w.stream.offer(w, new WatchBatch(w.id, revision, e.getValue(), 0), false)) {
                // etcd's victim: nothing of this revision went out, so it is where its catch-up starts
                synced.remove(w);
                w.synced = false;
                w.nextRev = revision;
                unsynced.add(w);
                behind = true;
            }
        }
        lastRev = revision;
        if (behind) {
            wakeLocked();
        }
    }

    void add(Watcher w) {
        mu.lock();
        try {
            long start = w.options.startRevision();
            w.nextRev = start == 0 ? lastRev + 1 : start;
            if (start == 0 || start > lastRev) {
                w.synced = true;
                synced.add(w);
            } else {
                unsynced.add(w);
                wakeLocked();
            }
        } finally {
            mu.unlock();
        }
    }

    void remove(Watcher w) {
        mu.lock();
        try {
            if (!synced.remove(w)) {
                unsynced.remove(w);
            }
        } finally {
            mu.unlock();
        }
    }

    void requestProgress(WatchStream s) {
        mu.lock();
        try {
            s.progressDeferred = !progressIfSyncedLocked(s);
        } finally {
            mu.unlock();
        }
    }

    /** A deferred RequestProgress whose answer did not fit gets another chance once the stream drained. */
    void retryDeferredProgress(WatchStream s) {
        mu.lock();
        try {
            answerDeferredLocked(Set.of(s));
        } finally {
            mu.unlock();
        }
    }

    /** A progress notification for one progress_notify watcher, if it is synced and there is room. */
    void progress(Watcher w) {
        mu.lock();
        try {
            if (w.synced && !w.removed) {
                w.stream.offer(w, new WatchBatch(w.id, lastRev, List.of(), 0), false);
            }
        } finally {
            mu.unlock();
        }
    }

    /** The key's value as of the revision before {@code modRevision}, or null if it had none or it is compacted. */
    KeyValue valueBefore(ByteString key, long modRevision) {
        try {
            var r = store.range(RangeRequest.newBuilder().setKey(key).setRevision(modRevision - 1).build());
            return r.getKvsCount() == 0 ? null : r.getKvs(0);
        } catch (KeyspaceException | StoreClosedException e) {
            return null;
        }
    }

    void wake() {
        mu.lock();
        try {
            wakeLocked();
        } finally {
            mu.unlock();
        }
    }

    private void wakeLocked() {
        wakeRequested = true;
        work.signal();
    }

    /** Answers the stream-wide progress request if every watcher of {@code s} is synced; false if it must wait. */
    private boolean progressIfSyncedLocked(WatchStream s) {
        Watcher any = null;
        for (Watcher w : s.watchers()) {
            if (!w.synced) {
                return false;
            }
            any = w;
        }
        if (any == null) {
            return true; // etcd answers nothing on a stream without watchers
        }
        return s.offer(null, new WatchBatch(WatchBatch.STREAM_WIDE, lastRev, List.of(), 0), false);
    }

    private void syncLoop() {
        while (!closed) {
            try {
                boolean more = syncRound();
                if (!more) {
                    awaitWork();
                }
            } catch (StoreClosedException e) {
                awaitWork(); // the store is being replaced; attach() will send everyone back to catch up
            } catch (RuntimeException e) {
                LOG.error("watch sync round failed; retrying", e);
                awaitWork();
            }
        }
    }

    private void awaitWork() {
        mu.lock();
        try {
            if (!wakeRequested && !closed) {
                work.await(SYNC_INTERVAL_MS, TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            mu.unlock();
        }
    }

    /** One catch-up round for up to {@link #MAX_WATCHERS_PER_SYNC} unsynced watchers; true if it moved any. */
    boolean syncRound() {
        List<Watcher> chosen = new ArrayList<>();
        MvccStore s;
        long target;
        long from = Long.MAX_VALUE;
        Set<WatchStream> touched = new HashSet<>();
        mu.lock();
        try {
            s = store;
            target = lastRev;
            if (s == null || unsynced.isEmpty()) {
                return false;
            }
            long compactRev = s.compactRevision();
            for (Watcher w : List.copyOf(unsynced)) {
                if (chosen.size() >= MAX_WATCHERS_PER_SYNC) {
                    break;
                }
                if (!w.stream.hasRoom()) {
                    continue; // etcd's victim: wait until its client reads
                }
                if (w.nextRev < compactRev) {
                    cancelCompactedLocked(w, compactRev);
                    touched.add(w.stream);
                } else if (w.nextRev > target) {
                    joinSyncedLocked(w);
                    touched.add(w.stream);
                } else {
                    chosen.add(w);
                    from = Math.min(from, w.nextRev);
                }
            }
            if (chosen.isEmpty()) {
                answerDeferredLocked(touched);
                return !touched.isEmpty();
            }
        } finally {
            mu.unlock();
        }
        History h;
        try {
            h = s.history(from, target, MAX_EVENTS_PER_SYNC);
        } catch (KeyspaceException e) {
            if (e.error() == EtcdError.COMPACTED) {
                return true; // compacted meanwhile: the next round cancels whoever is now below it
            }
            throw e;
        }
        mu.lock();
        try {
            if (store != s) {
                return true;
            }
            deliverLocked(chosen, from, h);
            if (h.lastRevision() == target && lastRev > target && lastRev - target <= FINAL_GAP_REVISIONS) {
                deliverLocked(chosen, target + 1, s.history(target + 1, lastRev, Integer.MAX_VALUE));
            }
            for (Watcher w : chosen) {
                if (!w.synced && !w.removed && unsynced.contains(w) && w.nextRev > lastRev) {
                    joinSyncedLocked(w);
                    touched.add(w.stream);
                }
            }
            answerDeferredLocked(touched);
            return true;
        } finally {
            mu.unlock();
        }
    }

    /**
     * Queues to each chosen watcher what it wants of {@code h}, which starts at {@code from}; one that has no room
     * keeps its place, and one whose next revision is before {@code from} is not served from this stretch.
     */
    private void deliverLocked(List<Watcher> chosen, long from, History h) {
        for (Watcher w : chosen) {
            if (w.removed || !unsynced.contains(w) || w.nextRev < from || w.nextRev > h.lastRevision()) {
                continue;
            }
            List<Event> mine = new ArrayList<>();
            for (Event e : h.events()) {
                if (w.wants(e)) {
                    mine.add(e);
                }
            }
            if (mine.isEmpty() || w.stream.offer(w, new WatchBatch(w.id, h.lastRevision(), mine, 0), false)) {
                w.nextRev = h.lastRevision() + 1;
            }
        }
    }

    private void joinSyncedLocked(Watcher w) {
        unsynced.remove(w);
        w.synced = true;
        synced.add(w);
    }

    private void cancelCompactedLocked(Watcher w, long compactRev) {
        unsynced.remove(w);
        w.stream.dropCompacted(w);
        w.stream.offer(w, new WatchBatch(w.id, 0, List.of(), compactRev), true);
    }

    private void answerDeferredLocked(Set<WatchStream> streams) {
        for (WatchStream st : streams) {
            if (st.progressDeferred && progressIfSyncedLocked(st)) {
                st.progressDeferred = false;
            }
        }
    }

    /** How many watchers are synced, and how many are catching up (etcd's slow watchers). */
    public record Counts(int synced, int unsynced) {
    }

    public Counts counts() {
        mu.lock();
        try {
            return new Counts(synced.size(), unsynced.size());
        } finally {
            mu.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        try {
            syncer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
