package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.AlarmMember;
import io.keyline.api.etcdserverpb.AlarmType;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.keyspace.EtcdError;
import io.keyline.replication.proto.LogRequest;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftNodeTest {
    @TempDir
    Path dir;

    private RaftNode singleMember(int port) {
        return singleMember(port, 100_000, 5_000);
    }

    private RaftNode singleMember(int port, long snapshotCount, long catchupEntries) {
        return new RaftNode(new ReplicationConfig(7L, List.of(new ReplicationConfig.Peer(7L, "127.0.0.1", port)), 11L,
                dir.resolve("raft"), dir.resolve("kv"), snapshotCount, catchupEntries, 1_572_864));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static LogRequest put(String key, String value) {
        return LogRequest.newBuilder().setPut(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))).build();
    }

    @Test
    void concurrentWritesGetConsecutiveRevisionsAndSurviveRestart() throws Exception {
        int port = freePort();
        List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
        try (RaftNode node = singleMember(port)) {
            node.start();
            for (int i = 0; i < 500; i++) {
                writes.add(node.write(put("k" + i, "v" + i)));
            }
            List<Long> revisions = new ArrayList<>();
            for (CompletableFuture<WriteOutcome> w : writes) {
                revisions.add(((PutResponse) w.get(30, TimeUnit.SECONDS).response()).getHeader().getRevision());
            }
            assertEquals(2L, revisions.stream().mapToLong(Long::longValue).min().orElseThrow());
            assertEquals(501L, revisions.stream().mapToLong(Long::longValue).max().orElseThrow());
            assertEquals(500, revisions.stream().distinct().count());
        }
        try (RaftNode node = singleMember(port)) {
            node.start();
            node.readBarrier().get(30, TimeUnit.SECONDS);
            RangeResponse all = node.store().range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setRangeEnd(ByteString.copyFromUtf8("l")).build());
            assertEquals(500, all.getCount());
            assertEquals(501, node.store().currentRevision());
        }
    }

    @Test
    void aWriteOverTheQuotaWhenAppliedIsStoredAndAnsweredNospaceAsEtcdDoes() throws Exception {
        // A put costs its size plus 256 bytes, so this one exceeds a 300-byte quota whatever the store holds.
        long quotaBytes = 300;
        try (RaftNode node = new RaftNode(new ReplicationConfig(7L,
                List.of(new ReplicationConfig.Peer(7L, "127.0.0.1", freePort())), 11L, dir.resolve("raft"),
                dir.resolve("kv"), 100_000, 5_000, 1_572_864, 0, false, quotaBytes))) {
            node.start();
            WriteOutcome over = node.write(put("big", "x".repeat(100))).get(30, TimeUnit.SECONDS);
            assertEquals(EtcdError.NO_SPACE, over.error());
            assertEquals(1, node.store().range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("big")).build()).getCount(), "the refused put was applied all the same");
            WriteOutcome delete = node.write(LogRequest.newBuilder().setDeleteRange(DeleteRangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("big"))).build()).get(30, TimeUnit.SECONDS);
            assertEquals(null, delete.error(), "a delete costs nothing");
        }
    }

    @Test
    void everyOtherMemberWhoseApplyExceedsTheQuotaRaisesNospaceForItself() throws Exception {
        long quotaBytes = 300;
        List<ReplicationConfig.Peer> peers = List.of(new ReplicationConfig.Peer(1L, "127.0.0.1", freePort()),
                new ReplicationConfig.Peer(2L, "127.0.0.1", freePort()),
                new ReplicationConfig.Peer(3L, "127.0.0.1", freePort()));
        List<RaftNode> nodes = new ArrayList<>();
        try {
            for (ReplicationConfig.Peer p : peers) {
                nodes.add(new RaftNode(new ReplicationConfig(p.id(), peers, 11L, dir.resolve("raft" + p.id()),
                        dir.resolve("kv" + p.id()), 100_000, 5_000, 1_572_864, 0, false, quotaBytes)));
            }
            for (RaftNode n : nodes) {
                n.start();
            }
            assertEquals(EtcdError.NO_SPACE, nodes.get(0).write(put("big", "x".repeat(100))).get(30, TimeUnit.SECONDS).error());

            // The proposer's own alarm is its gateway's to raise, before it answers; the other two raise theirs.
            Set<Long> expected = Set.of(2L, 3L);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (RaftNode n : nodes) {
                while (!noSpaceRaisedBy(n).equals(expected) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(expected, noSpaceRaisedBy(n));
            }
        } finally {
            for (RaftNode n : nodes) {
                n.close();
            }
        }
    }

    private static Set<Long> noSpaceRaisedBy(RaftNode node) {
        return node.stateMachine().activeAlarms().stream()
                .filter(a -> a.getAlarm() == AlarmType.NOSPACE).map(AlarmMember::getMemberID)
                .collect(Collectors.toSet());
    }

    @Test
    void etcdErrorsAreOutcomesAndOversizedRequestsAreRefusedBeforeRaft() throws Exception {
        try (RaftNode node = singleMember(freePort())) {
            node.start();
            WriteOutcome missing = node.write(LogRequest.newBuilder().setPut(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("absent")).setIgnoreValue(true)).build()).get(30, TimeUnit.SECONDS);
            assertEquals(EtcdError.KEY_NOT_FOUND, missing.error());
            CompletableFuture<WriteOutcome> huge = node.write(put("big", "x".repeat(1_572_864)));
            Throwable failure = huge.handle((ok, e) -> e).get(30, TimeUnit.SECONDS);
            assertTrue(failure instanceof io.keyline.keyspace.KeyspaceException ke
                    && ke.error() == EtcdError.REQUEST_TOO_LARGE, String.valueOf(failure));
        }
    }

    @Test
    void lostStoreIsRebuiltFromLatestSnapshotPlusLog() throws Exception {
        int port = freePort();
        try (RaftNode node = singleMember(port, 20, 5)) {
            node.start();
            for (int i = 0; i < 120; i++) {
                // One at a time, so that each write is its own log entry and snapshots trigger.
                node.write(put("k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
            assertTrue(node.stateMachine().snapshotsTaken() >= 1, "no snapshot was taken");
        }
        CheckpointSnapshots.deleteTree(dir.resolve("kv"));
        try (RaftNode node = singleMember(port, 20, 5)) {
            node.start();
            node.readBarrier().get(30, TimeUnit.SECONDS);
            assertEquals(1, node.stateMachine().snapshotsInstalled());
            assertEquals(121, node.store().currentRevision());
            assertEquals(120, node.store().range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setRangeEnd(ByteString.copyFromUtf8("l")).build()).getCount());
        }
    }
}
