package io.keyline.keyspace.watch;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.mvccpb.Event;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchHubTest {
    private static final long WAIT_MS = 10_000;
    @TempDir
    Path dir;
    MvccStore store;
    WatchHub hub;
    long index;

    @BeforeEach
    void open() {
        store = MvccStore.open(dir.resolve("db"));
        hub = new WatchHub();
        hub.attach(store);
    }

    @AfterEach
    void close() {
        hub.close();
        store.close();
    }

    @Test
    void aSyncedWatcherGetsEachRevisionWithAllItsEventsInOneBatch() {
        WatchStream s = hub.newStream();
        long id = s.watch(prefix("k", 0));
        put("k1", "a");
        commit(b -> b.txn(TxnRequest.newBuilder().addSuccess(op(put0("k2", "b"))).addSuccess(op(put0("k3", "c"))).build()));
        put("other", "x");
        del("k1");
        List<WatchBatch> got = drain(s, 3);
        assertEquals(List.of("2:PUT k1=a", "3:PUT k2=b PUT k3=c", "5:DELETE k1="), got.stream().map(b -> show(b)).toList());
        assertTrue(got.stream().allMatch(b -> b.watchId() == id));
    }

    @Test
    void aWatcherFromThePastCatchesUpFromHistoryThenFollowsLiveExactlyOnce() {
        for (int i = 0; i < 2500; i++) {
            put("k" + (i % 7), "v" + i); // more than one history read
        }
        WatchStream s = hub.newStream();
        s.watch(prefix("k", 2));
        for (int i = 2500; i < 2600; i++) {
            put("k" + (i % 7), "v" + i);
        }
        List<Long> revs = eventRevisions(drainUntilRevision(s, 2601));
        assertEquals(2600, revs.size());
        for (int i = 0; i < revs.size(); i++) {
            assertEquals(i + 2, revs.get(i));
        }
    }

    @Test
    void aStartBelowTheCompactionRevisionIsCancelledWithIt() {
        for (int i = 0; i < 5; i++) {
            put("a", "v" + i);
        }
        commit(b -> b.compact(CompactionRequest.newBuilder().setRevision(4).build()));
        WatchStream s = hub.newStream();
        s.watch(prefix("a", 3));
        WatchBatch b = drain(s, 1).get(0);
        assertEquals(4, b.compactRevision());
        assertEquals(0, s.watcherCount());
        WatchStream atCompaction = hub.newStream();
        atCompaction.watch(prefix("a", 4));
        assertEquals("6:PUT a=v2 PUT a=v3 PUT a=v4", show(drain(atCompaction, 1).get(0)),
                "history from the compaction revision itself is still there, in one catch-up batch");
    }

    @Test
    void aClientThatNeverReadsHoldsABoundedBufferAndLaterGetsEverythingInOrder() {
        WatchStream slow = hub.newStream();
        WatchStream fast = hub.newStream();
        slow.watch(prefix("k", 0));
        fast.watch(prefix("k", 0));
        List<WatchBatch> fastGot = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            put("k", "v" + i);
            for (WatchBatch b; (b = fast.poll()) != null; ) {
                fastGot.add(b);
            }
        }
        assertEquals(1000, fastGot.size(), "the other stream is not held back");
        assertTrue(WatchHub.STREAM_BUFFER >= countQueued(slow) - 1, "buffer stays bounded");
        List<Long> revs = eventRevisions(drainUntilRevision(slow, 1001));
        assertEquals(1000, revs.size());
        for (int i = 0; i < revs.size(); i++) {
            assertEquals(i + 2, revs.get(i));
        }
    }

    @Test
    void progressIsDeferredUntilEveryWatcherOfTheStreamIsSynced() {
        for (int i = 0; i < 300; i++) {
            put("k", "v" + i);
        }
        WatchStream s = hub.newStream();
        s.watch(prefix("k", 2));
        s.requestProgress();
        List<WatchBatch> got = drainUntilProgress(s);
        WatchBatch progress = got.get(got.size() - 1);
        assertEquals(WatchBatch.STREAM_WIDE, progress.watchId());
        assertEquals(301, progress.revision());
        assertEquals(300, eventRevisions(got).size(), "every event up to the progress revision came first");
    }

    @Test
    void filtersSingleKeysEmptyKeyAndDuplicateIdsAsEtcd() {
        WatchStream s = hub.newStream();
        s.watch(new WatchOptions(bs("a"), ByteString.EMPTY, 0, 0, true, false, false, false));
        assertEquals(7, s.watch(new WatchOptions(bs("a"), ByteString.EMPTY, 0, 7, false, true, true, false)));
        KeyspaceException dup = assertThrows(KeyspaceException.class,
                () -> s.watch(new WatchOptions(bs("a"), ByteString.EMPTY, 0, 7, false, false, false, false)));
        assertEquals(EtcdError.WATCHER_DUPLICATE_ID, dup.error());
        KeyspaceException empty = assertThrows(KeyspaceException.class,
                () -> s.watch(new WatchOptions(bs("b"), bs("a"), 0, 0, false, false, false, false)));
        assertEquals(EtcdError.EMPTY_WATCHER_RANGE, empty.error());
        s.watch(new WatchOptions(ByteString.EMPTY, ByteString.EMPTY, 0, 9, false, false, false, false));
        put("a", "1");
        put("ab", "x");
        put("a", "2");
        del("a");
        put("\u0000", "z");
        List<WatchBatch> got = drain(s, 4);
        assertEquals(List.of("7:2:PUT a=1", "7:4:PUT a=2 prev=1", "0:5:DELETE a=", "9:6:PUT \u0000=z"),
                got.stream().map(b -> b.watchId() + ":" + show(b)).toList());
        assertNull(s.poll());
    }

    @Test
    void afterTheStoreIsReplacedEachWatcherResumesAtItsOwnNextRevision() {
        WatchStream s = hub.newStream();
        s.watch(prefix("k", 0));
        put("k", "1");
        assertEquals(1, drain(s, 1).size());
        Path copy = dir.resolve("copy");
        for (int i = 2; i <= 5; i++) {
            put("k", String.valueOf(i));
        }
        store.checkpoint(copy);
        // the watcher consumed nothing more; the member now installs a snapshot that is ahead of it
        MvccStore old = store;
        store = MvccStore.open(copy);
        hub.attach(store);
        old.close();
        List<Long> revs = eventRevisions(drainUntilRevision(s, 6));
        assertEquals(List.of(3L, 4L, 5L, 6L), revs);
    }

    @Test
    void afterTheStoreIsReplacedAWatcherWhoseHistoryIsCompactedAwayIsCancelledWithTheCompactRevision() {
        WatchStream behind = hub.newStream();
        behind.watch(prefix("k", 0));
        for (int i = 0; i < 200; i++) {
            put("k", String.valueOf(i)); // never read: its buffer fills and it falls behind
        }
        commit(b -> b.compact(CompactionRequest.newBuilder().setRevision(180).build()));
        Path copy = dir.resolve("compacted");
        store.checkpoint(copy);
        MvccStore old = store;
        store = MvccStore.open(copy);
        hub.attach(store);
        old.close();
        List<WatchBatch> got = drainUntilCompacted(behind);
        List<Long> revs = eventRevisions(got);
        assertEquals(180, got.get(got.size() - 1).compactRevision());
        assertEquals(WatchHub.STREAM_BUFFER, revs.size(), "what was buffered, then the cancel");
        assertEquals(2 + WatchHub.STREAM_BUFFER - 1, revs.get(revs.size() - 1));
    }

    private List<WatchBatch> drainUntilCompacted(WatchStream s) {
        List<WatchBatch> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            WatchBatch b = s.poll();
            if (b == null) {
                sleep();
                continue;
            }
            out.add(b);
            if (b.compacted()) {
                return out;
            }
        }
        throw new AssertionError("no compaction cancel in " + out);
    }

    private int countQueued(WatchStream s) {
        int n = 0;
        List<WatchBatch> all = new ArrayList<>();
        for (WatchBatch b; (b = s.poll()) != null; ) {
            all.add(b);
            n++;
        }
        requeued.addAll(all);
        return n;
    }

    private final List<WatchBatch> requeued = new ArrayList<>();

    private List<WatchBatch> drain(WatchStream s, int n) {
        List<WatchBatch> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (out.size() < n && System.currentTimeMillis() < deadline) {
            WatchBatch b = s.poll();
            if (b == null) {
                sleep();
            } else {
                out.add(b);
            }
        }
        assertEquals(n, out.size(), "batches: " + out);
        return out;
    }

    private List<WatchBatch> drainUntilRevision(WatchStream s, long rev) {
        List<WatchBatch> out = new ArrayList<>(requeued);
        requeued.clear();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            List<Long> revs = eventRevisions(out);
            if (!revs.isEmpty() && revs.get(revs.size() - 1) >= rev) {
                return out;
            }
            WatchBatch b = s.poll();
            if (b == null) {
                sleep();
            } else {
                out.add(b);
            }
        }
        throw new AssertionError("no event of revision " + rev + " in " + eventRevisions(out));
    }

    private List<WatchBatch> drainUntilProgress(WatchStream s) {
        List<WatchBatch> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            WatchBatch b = s.poll();
            if (b == null) {
                sleep();
                continue;
            }
            out.add(b);
            if (b.events().isEmpty() && !b.compacted()) {
                return out;
            }
        }
        throw new AssertionError("no progress notification in " + out.size() + " batches");
    }

    private static List<Long> eventRevisions(List<WatchBatch> batches) {
        List<Long> out = new ArrayList<>();
        for (WatchBatch b : batches) {
            for (Event e : b.events()) {
                out.add(e.getKv().getModRevision());
            }
        }
        return out;
    }

    private static String show(WatchBatch b) {
        StringBuilder sb = new StringBuilder().append(b.revision()).append(':');
        for (Event e : b.events()) {
            sb.append(sb.charAt(sb.length() - 1) == ':' ? "" : " ").append(e.getType()).append(' ')
                    .append(e.getKv().getKey().toStringUtf8()).append('=').append(e.getKv().getValue().toStringUtf8());
            if (e.hasPrevKv()) {
                sb.append(" prev=").append(e.getPrevKv().getValue().toStringUtf8());
            }
        }
        return sb.toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void put(String k, String v) {
        commit(b -> b.put(put0(k, v)));
    }

    private void del(String k) {
        commit(b -> b.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs(k)).build()));
    }

    private void commit(Consumer<MvccBatch> work) {
        try (MvccBatch b = store.newBatch()) {
            work.accept(b);
            b.commit(++index, 1);
        }
    }

    private static PutRequest put0(String k, String v) {
        return PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v)).build();
    }

    private static RequestOp op(PutRequest p) {
        return RequestOp.newBuilder().setRequestPut(p).build();
    }

    private static WatchOptions prefix(String p, long start) {
        ByteString key = bs(p);
        byte[] end = key.toByteArray();
        end[end.length - 1]++;
        return new WatchOptions(key, ByteString.copyFrom(end), start, 0, false, false, false, false);
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
