package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyIndexTest {
    /** generations [2 4 6t] [8 10 12t] [14 16] */
    private static KeyIndex history() {
        KeyIndex ki = new KeyIndex(ByteString.copyFromUtf8("foo"));
        ki.put(new Revision(2, 0));
        ki.put(new Revision(4, 0));
        ki.tombstone(new Revision(6, 0));
        ki.put(new Revision(8, 0));
        ki.put(new Revision(10, 0));
        ki.tombstone(new Revision(12, 0));
        ki.put(new Revision(14, 0));
        ki.put(new Revision(16, 0));
        return ki;
    }

    private static String gens(KeyIndex ki) {
        return ki.generations.stream()
                .map(g -> g.revs.stream().map(r -> Long.toString(r.main())).collect(Collectors.joining(" ", "[", "]")))
                .collect(Collectors.joining());
    }

    @ParameterizedTest(name = "get({0})")
    @CsvSource({
            "0,  -1, -1, -1", "1,  -1, -1, -1",
            "2,   2,  2,  1", "3,   2,  2,  1",
            "4,   4,  2,  2", "5,   4,  2,  2",
            "6,  -1, -1, -1", "7,  -1, -1, -1",
            "8,   8,  8,  1", "9,   8,  8,  1",
            "10, 10,  8,  2", "11, 10,  8,  2",
            "12, -1, -1, -1", "13, -1, -1, -1",
            "14, 14, 14,  1", "15, 14, 14,  1",
            "16, 16, 14,  2", "17, 16, 14,  2",
    })
    void getAcrossGenerations(long atRev, long mod, long created, long ver) {
        KeyIndex.Hit hit = history().get(atRev);
        if (mod == -1) {
            assertNull(hit);
            return;
        }
        assertEquals(new KeyIndex.Hit(new Revision(mod, 0), new Revision(created, 0), ver), hit);
    }

    @ParameterizedTest(name = "compact({0})")
    @CsvSource({
            "1,  '',   '[2 4 6][8 10 12][14 16]'",
            "2,  '2',  '[2 4 6][8 10 12][14 16]'",
            "3,  '2',  '[2 4 6][8 10 12][14 16]'",
            "4,  '4',  '[4 6][8 10 12][14 16]'",
            "5,  '4',  '[4 6][8 10 12][14 16]'",
            "6,  '',   '[8 10 12][14 16]'",
            "7,  '',   '[8 10 12][14 16]'",
            "8,  '8',  '[8 10 12][14 16]'",
            "9,  '8',  '[8 10 12][14 16]'",
            "10, '10', '[10 12][14 16]'",
            "11, '10', '[10 12][14 16]'",
            "12, '',   '[14 16]'",
            "13, '',   '[14 16]'",
            "14, '14', '[14 16]'",
            "15, '14', '[14 16]'",
            "16, '16', '[16]'",
            "17, '16', '[16]'",
    })
    void compactKeepsNewestRevisionNeededAtOrAfter(long atRev, String keep, String remaining) {
        KeyIndex ki = history();
        Set<Revision> available = new HashSet<>();
        ki.keep(atRev, available);
        Set<Long> mains = new TreeSet<>();
        available.forEach(r -> mains.add(r.main()));
        assertEquals(keep, mains.stream().map(String::valueOf).collect(Collectors.joining(" ")), "keep");
        ki.compact(atRev);
        assertEquals(remaining, gens(ki), "generations after compact");
        // reads at and after the compaction revision are unchanged
        KeyIndex full = history();
        for (long rev = atRev; rev <= 17; rev++) {
            assertEquals(full.get(rev), ki.get(rev), "get(" + rev + ")");
        }
    }

    @Test
    void compactingAwayADeletedKeyLeavesItEmpty() {
        KeyIndex ki = new KeyIndex(ByteString.copyFromUtf8("k"));
        ki.put(new Revision(2, 0));
        ki.tombstone(new Revision(3, 0));
        Set<Revision> available = new HashSet<>();
        ki.keep(3, available);
        assertTrue(available.isEmpty());
        ki.compact(3);
        assertTrue(ki.isEmpty());
    }

    @Test
    void tombstoneOfDeadKeyAndOutOfOrderPutFail() {
        KeyIndex ki = new KeyIndex(ByteString.copyFromUtf8("k"));
        assertThrows(IllegalStateException.class, () -> ki.tombstone(new Revision(2, 0)));
        ki.put(new Revision(3, 0));
        assertThrows(IllegalStateException.class, () -> ki.put(new Revision(3, 0)));
        ki.tombstone(new Revision(4, 0));
        assertThrows(IllegalStateException.class, () -> ki.tombstone(new Revision(5, 0)));
    }

    @Test
    void restoredIndexContinuesVersionsFromStoredValue() {
        KeyIndex ki = new KeyIndex(ByteString.copyFromUtf8("k"));
        ki.restore(new Revision(3, 0), new Revision(9, 1), 5);
        ki.put(new Revision(11, 0));
        assertEquals(new KeyIndex.Hit(new Revision(11, 0), new Revision(3, 0), 6), ki.get(11));
        assertEquals(new KeyIndex.Hit(new Revision(9, 1), new Revision(3, 0), 5), ki.get(10));
    }
}
