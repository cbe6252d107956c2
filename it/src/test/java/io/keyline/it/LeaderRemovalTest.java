package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.MemberListRequest;
import io.keyline.api.etcdserverpb.MemberRemoveRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The leader of a 3-member Keyline cluster is removed (through a follower) while two writers keep
 * writing through the followers: writes go on once the two elect a new leader, every acknowledged
 * write is on both, and the removed leader stops, as etcd's does.
 */
class LeaderRemovalTest {

    @Test
    void writesContinueOnTheRemainingMembersAfterTheLeaderIsRemoved() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("leader-removal", 3)) {
            int leader = c.leaderIndex();
            List<Integer> followers = List.of((leader + 1) % 3, (leader + 2) % 3);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong removedAtNanos = new AtomicLong(Long.MAX_VALUE);
            AtomicLong afterRemoval = new AtomicLong();
            AtomicLong lastAck = new AtomicLong(System.nanoTime());
            AtomicLong longestPause = new AtomicLong();
            List<Thread> writers = followers.stream().map(f -> new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String key = "/removal/" + f + "/" + i;
                    try {
                        c.kv(f).withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8("v")).build());
                        acknowledged.add(key);
                        long now = System.nanoTime();
                        long previous = lastAck.getAndSet(now);
                        longestPause.accumulateAndGet(now - previous, Math::max);
                        if (System.nanoTime() > removedAtNanos.get()) {
                            afterRemoval.incrementAndGet();
                        }
                    } catch (RuntimeException electionInProgress) {
                        ServerProcess.sleep(50);
                    }
                }
            })).toList();
            writers.forEach(Thread::start);
            ServerProcess.sleep(2000);

            long leaderId = c.memberId(leader);
            c.cluster(followers.get(0)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .memberRemove(MemberRemoveRequest.newBuilder().setID(leaderId).build());
            removedAtNanos.set(System.nanoTime());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.isRunning(leader) && System.nanoTime() < deadline) {
                ServerProcess.sleep(200);
            }
            assertFalse(c.isRunning(leader), "the removed leader still runs");
            ServerProcess.sleep(4000);
            stop.set(true);
            for (Thread w : writers) {
                w.join(15_000);
            }
            System.out.printf("[leader-removal] %d writes acknowledged, %d after the removal; longest pause "
                    + "between acknowledgements %d ms%n", acknowledged.size(), afterRemoval.get(),
                    TimeUnit.NANOSECONDS.toMillis(longestPause.get()));
            assertTrue(afterRemoval.get() > 0, "no write was acknowledged after the leader's removal");

            assertEquals(2, c.cluster(followers.get(1)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .memberList(MemberListRequest.getDefaultInstance()).getMembersCount());
            for (int f : followers) {
                c.kv(f).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("/barrier/" + f)).build());
            }
            for (int f : followers) {
                RangeResponse held = awaitAll(c, f, acknowledged.size());
                Set<String> keys = ConcurrentHashMap.newKeySet();
                held.getKvsList().forEach(kv -> keys.add(kv.getKey().toStringUtf8()));
                assertTrue(keys.containsAll(acknowledged), "member " + f + " lost acknowledged writes");
            }
        }
    }

    private static RangeResponse awaitAll(KeylineCluster c, int member, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        RangeResponse r = c.serializablePrefix(member, "/removal/", Duration.ofSeconds(10));
        while (r.getKvsCount() < expected && System.nanoTime() < deadline) {
            ServerProcess.sleep(200);
            r = c.serializablePrefix(member, "/removal/", Duration.ofSeconds(10));
        }
        return r;
    }
}
