package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.replication.proto.LogRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitProposerTest {
    private final List<ProposedEntry> entries = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<RaftClientReply>> replies = new CopyOnWriteArrayList<>();
    private final AtomicBoolean forwarding = new AtomicBoolean();
    /** This member's applied index; a write may be answered once it reaches the write's entry. */
    private final AtomicLong applied = new AtomicLong(Long.MAX_VALUE);
    private final CompletableFuture<Void> applyCatchesUp = new CompletableFuture<>();
    private final GroupCommitProposer proposer = new GroupCommitProposer(entry -> {
        CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
        entries.add(entry);
        replies.add(reply);
        return reply;
    }, RuntimeException::new, forwarding::get,
            index -> index <= applied.get() ? CompletableFuture.completedFuture(null) : applyCatchesUp, 1 << 20);

    @AfterEach
    void close() {
        proposer.close();
    }

    @Test
    void followerKeepsTwoForwardedEntriesOutAndPacksWhatArrivesMeanwhileIntoTheNext() throws Exception {
        forwarding.set(true);
        List<CompletableFuture<WriteOutcome>> results = new ArrayList<>();
        results.add(proposer.propose(put(0)));
        awaitEntries(1);
        results.add(proposer.propose(put(1)));
        awaitEntries(2);
        for (int i = 2; i < 10; i++) {
            results.add(proposer.propose(put(i)));
        }
        Thread.sleep(200);
        assertEquals(2, entries.size(), "a third forwarded entry went out while two were in flight");

        answer(0);
        awaitEntries(3);
        assertEquals(8, entries.get(2).requests().size(), "the eight waiting writes travel in one entry");
        answer(1);
        answer(2);
        for (CompletableFuture<WriteOutcome> r : results) {
            assertTrue(r.get(5, TimeUnit.SECONDS) != null);
        }
    }

    @Test
    void forwardedWriteIsAnsweredOnlyOnceAppliedHereButFreesItsSlotOnTheLeadersAnswer() throws Exception {
        forwarding.set(true);
        applied.set(0);
        CompletableFuture<WriteOutcome> first = proposer.propose(put(0));
        awaitEntries(1);
        CompletableFuture<WriteOutcome> second = proposer.propose(put(1));
        awaitEntries(2);
        CompletableFuture<WriteOutcome> third = proposer.propose(put(2));

        answer(0, 7);
        awaitEntries(3);
        Thread.sleep(200);
        assertFalse(first.isDone(), "answered before this member applied the entry");
        applied.set(7);
        applyCatchesUp.complete(null);
        assertTrue(first.get(5, TimeUnit.SECONDS) != null);
        answer(1, 8);
        answer(2, 9);
        assertTrue(second.get(5, TimeUnit.SECONDS) != null);
        assertTrue(third.get(5, TimeUnit.SECONDS) != null);
    }

    @Test
    void writeIsAnsweredOnItsOwnApplyHereWithoutWaitingForTheLeadersReply() throws Exception {
        forwarding.set(true);
        applied.set(0);
        CompletableFuture<WriteOutcome> write = proposer.propose(put(0));
        awaitEntries(1);
        ProposedEntry entry = entries.get(0);
        WriteOutcome outcome = WriteOutcome.ok(PutResponse.newBuilder().build());
        entry.outcomes()[0] = outcome;
        entry.applied().complete(null);

        assertEquals(outcome, write.get(5, TimeUnit.SECONDS));
        replies.get(0).completeExceptionally(new java.io.IOException("connection to the leader lost"));
        assertEquals(outcome, write.get(), "a reply lost after the apply does not undo the answer");
    }

    @Test
    void leaderPipelinesEntriesWithoutWaitingForEarlierOnes() throws Exception {
        for (int i = 0; i < 5; i++) {
            proposer.propose(put(i));
            awaitEntries(i + 1);
        }
        assertEquals(5, entries.size(), "the leader does not hold a write back while entries are in flight");
    }

    private void answer(int entry) {
        answer(entry, 1);
    }

    private void answer(int entry, long logIndex) {
        ProposedEntry e = entries.get(entry);
        for (int i = 0; i < e.outcomes().length; i++) {
            e.outcomes()[i] = WriteOutcome.ok(PutResponse.getDefaultInstance());
        }
        replies.get(entry).complete(RaftClientReply.newBuilder().setClientId(ClientId.randomId())
                .setServerId(RaftPeerId.valueOf("s")).setGroupId(RaftGroupId.randomId()).setLogIndex(logIndex)
                .setSuccess(true).build());
    }

    private void awaitEntries(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (entries.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, entries.size());
    }

    private static LogRequest put(int i) {
        return LogRequest.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + i))).build();
    }
}
