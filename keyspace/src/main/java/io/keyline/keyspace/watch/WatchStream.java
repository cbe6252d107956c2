package io.keyline.keyspace.watch;

import io.keyline.api.mvccpb.Event;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The watchers of one client stream and what is waiting to be sent to it, as etcd's mvcc watchStream. The hub
 * appends to the outbound queue (from the apply thread or its sync loop) and never waits: the queue holds at
 * most {@link WatchHub#STREAM_BUFFER} batches of events, and a watcher whose batch does not fit falls behind
 * (becomes unsynced) and is caught up from history once the client reads again, so a client that never reads
 * costs a bounded amount of memory. The sender takes batches with {@link #poll}, one thread at a time.
 */
public final class WatchStream implements AutoCloseable {
    private record Queued(Watcher watcher, WatchBatch batch) {
    }

    private final WatchHub hub;
    private final Map<Long, Watcher> watchers = new ConcurrentHashMap<>();
    private final Queue<Queued> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile Runnable onOutbound = () -> { };
    private long nextId;
    /** A RequestProgress waits until every watcher of the stream is synced (guarded by the hub's lock). */
    volatile boolean progressDeferred;
    /** A batch did not fit: the hub's sync loop should look at this stream once it drains. */
    volatile boolean fellBehind;

    WatchStream(WatchHub hub) {
        this.hub = hub;
    }

    /** Called (on whatever thread queued it) each time something is queued: wakes the sender. */
    public void onOutbound(Runnable wake) {
        this.onOutbound = wake;
    }

    /**
     * Adds a watcher; its id is the client's choice or, for 0, the lowest free one, as etcd's watchStream picks.
     * Fails with WATCHER_DUPLICATE_ID or EMPTY_WATCHER_RANGE as etcd's does.
     */
    public long watch(WatchOptions o) {
        KeyInterval keys = KeyInterval.of(o.key(), o.rangeEnd());
        if (keys == null) {
            throw new KeyspaceException(EtcdError.EMPTY_WATCHER_RANGE);
        }
        long id;
        synchronized (this) {
            if (o.watchId() != 0) {
                id = o.watchId();
                if (watchers.containsKey(id)) {
                    throw new KeyspaceException(EtcdError.WATCHER_DUPLICATE_ID);
                }
            } else {
                while (watchers.containsKey(nextId)) {
                    nextId++;
                }
                id = nextId++;
            }
            Watcher w = new Watcher(id, this, keys, o, 0);
            watchers.put(id, w);
            hub.add(w);
        }
        return id;
    }

    /** False when the stream has no such watcher (etcd then answers nothing). */
    public boolean cancel(long watchId) {
        Watcher w = watchers.remove(watchId);
        if (w == null) {
            return false;
        }
        w.removed = true;
        hub.remove(w);
        return true;
    }

    /** etcd's RequestProgressAll: answered at once if every watcher is synced, else once they all are. */
    public void requestProgress() {
        hub.requestProgress(this);
    }

    /** One tick of --experimental-watch-progress-notify-interval for the progress_notify watchers. */
    public void progressTick() {
        for (Watcher w : watchers.values()) {
            if (w.options.progressNotify()) {
                if (!w.sentSinceTick) {
                    hub.progress(w);
                }
                w.sentSinceTick = false;
            }
        }
    }

    /** The next batch to send, with prev_kv filled in where asked, or null when nothing waits. */
    public WatchBatch poll() {
        while (true) {
            Queued q = outbound.poll();
            if (q == null) {
                if (fellBehind) {
                    fellBehind = false;
                    hub.wake();
                }
                if (progressDeferred) {
                    hub.retryDeferredProgress(this);
                    q = outbound.poll();
                }
                if (q == null) {
                    return null;
                }
            }
            queued.decrementAndGet();
            Watcher w = q.watcher();
            if (w != null && w.removed && !q.batch().compacted()) {
                continue; // cancelled by the client after this was queued: etcd drops it too
            }
            WatchBatch b = q.batch();
            if (w != null && !b.events().isEmpty()) {
                w.sentSinceTick = true;
                if (w.options.prevKv()) {
                    b = withPrevKv(b);
                }
            }
            return b;
        }
    }

    public int watcherCount() {
        return watchers.size();
    }

    /** etcd fills prev_kv when it sends: the key's value just before each update or delete, if not compacted. */
    private WatchBatch withPrevKv(WatchBatch b) {
        List<Event> events = new ArrayList<>(b.events().size());
        for (Event e : b.events()) {
            boolean create = e.getType() == Event.EventType.PUT && e.getKv().getVersion() == 1;
            var prev = create ? null : hub.valueBefore(e.getKv().getKey(), e.getKv().getModRevision());
            events.add(prev == null ? e : e.toBuilder().setPrevKv(prev).build());
        }
        return new WatchBatch(b.watchId(), b.revision(), events, b.compactRevision());
    }

    boolean hasRoom() {
        return queued.get() < WatchHub.STREAM_BUFFER;
    }

    /** Queues a batch unless the buffer is full; {@code force} for the few small answers that must not be lost. */
    boolean offer(Watcher w, WatchBatch b, boolean force) {
        if (!force && !hasRoom()) {
            fellBehind = true;
            return false;
        }
        queued.incrementAndGet();
        outbound.add(new Queued(w, b));
        onOutbound.run();
        return true;
    }

    /** Forgets a watcher the hub cancelled for compaction: its id may be used again. */
    void dropCompacted(Watcher w) {
        w.removed = true;
        watchers.remove(w.id, w);
    }

    Iterable<Watcher> watchers() {
        return watchers.values();
    }

    @Override
    public void close() {
        for (Long id : List.copyOf(watchers.keySet())) {
            cancel(id);
        }
        outbound.clear();
        queued.set(0);
    }
}
