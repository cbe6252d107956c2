package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The mask hides only what differs between two fresh clusters (ids, raft term, ports, version and
 * db size in endpoint status, etcdctl's timestamps and latencies) and never a revision, a value,
 * a count or an error message. Outputs are real etcd 3.4 outputs with two servers' identities.
 */
class MaskTest {

    static final Mask A = new Mask(32379, 32380, "443629905751424238");
    static final Mask B = new Mask(41000, 41001, "10276657743932975437");

    /** CSV rows spell a newline as a literal backslash-n. */
    static String lines(String s) {
        return s.replace("\\n", "\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "json header | {\"header\":{\"cluster_id\":13455796455940752355,\"member_id\":443629905751424238,\"revision\":2,\"raft_term\":2}}"
            + " | {\"header\":{\"cluster_id\":1,\"member_id\":10276657743932975437,\"revision\":2,\"raft_term\":7}}",
        "fields header | \"ClusterID\" : 1\\n\"MemberID\" : 443629905751424238\\n\"Revision\" : 3\\n\"RaftTerm\" : 2"
            + " | \"ClusterID\" : 2\\n\"MemberID\" : 10276657743932975437\\n\"Revision\" : 3\\n\"RaftTerm\" : 4",
        "status row | http://127.0.0.1:32379, 628170c800dbcee, 3.4.23, 20 kB, true, false, 2, 6, 6, "
            + " | http://127.0.0.1:41000, 8e9e05c52164694d, 0.1.0, 4.1 MB, true, false, 9, 6, 6, ",
        "member row | 628170c800dbcee, started, m, http://127.0.0.1:32380, http://127.0.0.1:32379, false"
            + " | 8e9e05c52164694d, started, m, http://127.0.0.1:41001, http://127.0.0.1:41000, false",
        "retry log | {\"level\":\"warn\",\"ts\":\"2026-11-25T19:56:10.664Z\",\"target\":\"endpoint://client-48d6be45-b4df-4a03-b266-b1fa4c5b19f4/127.0.0.1:32379\",\"attempt\":0}"
            + " | {\"level\":\"warn\",\"ts\":\"2026-11-25T19:57:00.001Z\",\"target\":\"endpoint://client-eb81eaaf-af86-4f5a-bab0-8af45a919b90/127.0.0.1:41000\",\"attempt\":0}",
        "health | http://127.0.0.1:32379 is healthy: successfully committed proposal: took = 1.815426ms"
            + " | http://127.0.0.1:41000 is healthy: successfully committed proposal: took = 12.5µs",
        "proto header | header {\\n  cluster_id: 5\\n  member_id: 443629905751424238\\n  revision: 9\\n  raft_term: 2\\n}"
            + " | header {\\n  cluster_id: 6\\n  member_id: 10276657743932975437\\n  revision: 9\\n  raft_term: 3\\n}",
    })
    void identitiesOfTwoFreshClustersMaskToTheSameText(String name, String a, String b) {
        assertEquals(A.apply(lines(a)), B.apply(lines(b)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "revision | {\"header\":{\"revision\":2}} | {\"header\":{\"revision\":3}}",
        "fields revision | \"Revision\" : 3 | \"Revision\" : 4",
        "kv | {\"key\":\"YQ==\",\"create_revision\":2,\"mod_revision\":3,\"version\":2,\"value\":\"Mg==\"} "
            + "| {\"key\":\"YQ==\",\"create_revision\":2,\"mod_revision\":3,\"version\":1,\"value\":\"Mg==\"}",
        "count | \"count\":1 | \"count\":2",
        "error | Error: etcdserver: mvcc: required revision has been compacted | Error: mvcc: required revision has been compacted",
        "lease id | ID: 4660 | ID: 4661",
        "other member id | 628170c800dbcee, started | 628170c800dbcef, started",
    })
    void revisionsValuesCountsAndErrorsStayVisible(String name, String a, String b) {
        assertNotEquals(A.apply(lines(a)), B.apply(lines(b)));
    }
}
