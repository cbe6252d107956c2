package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * etcd's TestV3WatchRestoreSnapshotUnsync: a watcher on {@code foo} from revision 5 on member 0, member 0 frozen
 * (SIGSTOP) while the others write, member 0 thawed: it catches up by installing a leader snapshot, and the
 * watcher still receives each event of revisions 5..16 exactly once, in order. Keyline rolls its Raft log in
 * 8 MB segments and purges only closed ones, so unlike etcd's 15 puts alone this also writes enough 1 MiB
 * values elsewhere that the leader's log really is purged past member 0; the snapshot metric proves it.
 */
class WatchSnapshotRestoreTest {
    private static final int BIG_PUTS = 40;

    @Test
    void aWatcherOnAFollowerThatInstallsASnapshotGetsEveryEventOnceInOrder() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("watchsnap", 3, SnapshotCatchUpTest.FLAGS)) {
            int leader = c.leaderIndex();
            int m0 = c.someFollower(leader);
            int other = 3 - leader - m0;
            long startRev = c.kv(leader).range(io.keyline.api.etcdserverpb.RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("foo")).build()).getHeader().getRevision() + 4;
            try (WatchClient w = WatchClient.open(c.channel(m0))) {
                w.create(WatchClient.on("foo").setStartRevision(startRev));
                assertTrue(w.until(WatchResponse::getCreated, Duration.ofSeconds(10)).get(0).getCreated());
                double installedBefore = c.metrics(m0).getOrDefault("keyline_snapshots_installed_total", 0.0);
                List<Long> fooRevs = new ArrayList<>();
                c.pause(m0);
                try {
                    for (int i = 0; i < 15; i++) {
                        fooRevs.add(c.kv(i % 2 == 0 ? leader : other).withDeadlineAfter(20, TimeUnit.SECONDS)
                                .put(put("foo", ByteString.copyFromUtf8("bar" + i))).getHeader().getRevision());
                    }
                    byte[] big = new byte[1 << 20];
                    for (int i = 0; i < BIG_PUTS; i++) {
                        c.kv(leader).withDeadlineAfter(20, TimeUnit.SECONDS).put(put("/big/" + i, ByteString.copyFrom(big)));
                    }
                    for (int i = 0; i < 60; i++) {
                        c.kv(leader).withDeadlineAfter(20, TimeUnit.SECONDS).put(put("/small/" + i, ByteString.copyFromUtf8("s")));
                    }
                } finally {
                    c.resume(m0);
                }
                List<Long> want = fooRevs.stream().filter(r -> r >= startRev).toList();
                List<Long> got = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (got.size() < want.size() && System.nanoTime() < deadline) {
                    WatchResponse r = w.next(Duration.ofSeconds(1));
                    if (r != null) {
                        assertTrue(!r.getCanceled(), "watch cancelled: " + r);
                        for (Event e : r.getEventsList()) {
                            got.add(e.getKv().getModRevision());
                        }
                    }
                }
                // anything more (a repeat) would arrive right behind
                for (WatchResponse r : w.drain(Duration.ofSeconds(2))) {
                    r.getEventsList().forEach(e -> got.add(e.getKv().getModRevision()));
                }
                double installed = c.metrics(m0).getOrDefault("keyline_snapshots_installed_total", 0.0);
                System.out.printf("[watchsnap] m%d: foo events at %s; snapshots installed %s -> %s%n", m0, got,
                        installedBefore, installed);
                assertEquals(want, got, "each foo event from revision " + startRev + " exactly once, in order");
                assertEquals(12, want.size(), "revisions 5..16 of etcd's test, counted from the first put");
                assertTrue(installed > installedBefore, "member " + m0 + " must have caught up by installing a "
                        + "snapshot, not by replaying the log (keyline_snapshots_installed_total " + installed + ")");
            }
        }
    }

    private static PutRequest put(String key, ByteString value) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(value).build();
    }
}
