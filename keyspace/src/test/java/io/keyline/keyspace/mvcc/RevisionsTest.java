package io.keyline.keyspace.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RevisionsTest {
    private static Revisions of(int... mains) {
        Revisions r = new Revisions();
        for (int m : mains) {
            r.add(new Revision(m, 0));
        }
        return r;
    }

    @Test
    void aCopyAppendsWithoutChangingWhatTheOriginalSees() {
        Revisions committed = of(1, 2, 3);
        Revisions batch = committed.share();
        for (int m = 4; m <= 40; m++) {
            batch.add(new Revision(m, 0));
        }
        assertEquals(java.util.List.of(new Revision(1, 0), new Revision(2, 0), new Revision(3, 0)),
                committed.stream().toList());
        assertEquals(3, committed.size());
        assertEquals(40, batch.size());
        assertEquals(new Revision(40, 0), batch.get(39));
    }

    @Test
    void aDiscardedCopyIsOverwrittenByTheNextOne() {
        Revisions committed = of(1, 2);
        Revisions discarded = committed.share();
        discarded.add(new Revision(3, 0));
        Revisions next = committed.share();
        next.add(new Revision(4, 0));
        assertEquals(new Revision(4, 0), next.get(2));
        assertEquals(2, committed.size());
    }

    @Test
    void droppingAPrefixLeavesOtherCopiesWhole() {
        Revisions committed = of(1, 2, 3, 4);
        Revisions compacted = committed.share();
        compacted.dropFirst(3);
        assertEquals(1, compacted.size());
        assertEquals(new Revision(4, 0), compacted.get(0));
        assertEquals(4, committed.size());
        assertEquals(new Revision(1, 0), committed.get(0));
        compacted.add(new Revision(5, 0));
        assertEquals(new Revision(4, 0), committed.get(3));
    }
}
