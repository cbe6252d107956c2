package io.keyline.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * etcdctl's write commands (put, del, txn from stdin, compaction) and cluster commands (endpoint
 * health/status, member list) print the same against Keyline as against real etcd 3.4. The tests
 * share one pair of servers and run in a fixed order, each under its own key prefix, so both
 * sides see the same request sequence and revisions stay aligned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdctlWriteDifferentialTest {

    private DifferentialPair pair;

    @BeforeAll
    void start() {
        pair = DifferentialPair.start("write");
    }

    @AfterEach
    void verify() {
        pair.assertNoMismatches();
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    @Order(1)
    void clusterCommandsReportTheSameMemberAndHealth() {
        pair.ctl("endpoint", "health");
        pair.ctl("endpoint", "health", "-w", "json");
        pair.ctl("endpoint", "status");
        pair.ctl("endpoint", "status", "-w", "json");
        pair.ctl("endpoint", "status", "-w", "fields");
        pair.ctl("member", "list");
        pair.ctl("member", "list", "-w", "json");
        pair.ctl("member", "list", "-w", "fields");
        pair.ctl("endpoint", "hashkv", "-w", "json");
    }

    @Test
    @Order(2)
    void putWithPrevKvIgnoreValueAndIgnoreLease() {
        pair.ctl("put", "/p/k", "v1");
        pair.ctl("put", "/p/k", "v2", "--prev-kv");
        pair.ctl("put", "/p/k", "v3", "--prev-kv", "-w", "json");
        pair.ctl("put", "/p/k", "v4", "--prev-kv", "-w", "fields");
        pair.ctl("put", "/p/new", "n", "--prev-kv");
        pair.ctl("put", "/p/new2", "n", "--prev-kv", "-w", "json");
        pair.ctl("put", "/p/k", "--ignore-value");
        pair.ctl("get", "/p/k", "-w", "json");
        pair.ctl("put", "/p/k", "--ignore-value", "--prev-kv", "-w", "json");
        pair.ctl("put", "/p/missing", "--ignore-value");
        pair.ctl("put", "/p/missing", "--ignore-value", "-w", "json");
        pair.ctl("put", "/p/k", "v5", "--ignore-lease");
        pair.ctl("put", "/p/missing", "v", "--ignore-lease");
        pair.ctl("put", "/p/k", "v6", "--ignore-value");
        pair.ctl("put", "/p/k", "--ignore-value", "--ignore-lease");
        pair.ctl("put", "/p/k", "v", "--lease=1234abcd");
        pair.ctl("put", "/p/k", "v", "--lease=1234abcd", "-w", "json");
        pair.ctl("put", "/p/k", "v", "--lease=zz");
        pair.ctl("put", "/p/k");
        pair.ctl("put", "/p/empty", "");
        pair.ctl("get", "/p/empty", "-w", "json");
        pair.ctl("put", "/p/ü-ключ-🔑", "значение 🙂");
        pair.ctl("put", "/p/\u0001ctl\ttab", "\u0002\u0003bin");
        pair.ctl("get", "--prefix", "/p/", "-w", "json");
        pair.ctl("get", "--prefix", "/p/");
    }

    @Test
    @Order(3)
    void deleteWithPrefixFromKeyRangeAndPrevKv() {
        for (String k : new String[] {"/d/a", "/d/b", "/d/c", "/d/p/1", "/d/p/2", "/d/q/x", "/d/r/a", "/d/r/b", "/d/r/c"}) {
            pair.ctl("put", k, "v-" + k);
        }
        pair.ctl("del", "/d/missing");
        pair.ctl("del", "/d/missing", "-w", "json");
        pair.ctl("del", "/d/a", "--prev-kv");
        pair.ctl("del", "/d/b", "--prev-kv", "-w", "json");
        pair.ctl("del", "/d/b", "--prev-kv", "-w", "json");
        pair.ctl("del", "/d/c", "-w", "fields");
        pair.ctl("del", "--prefix", "/d/p/", "--prev-kv");
        pair.ctl("del", "/d/r/a", "/d/r/c", "--prev-kv", "-w", "json");
        pair.ctl("get", "--prefix", "/d/", "-w", "json");
        pair.ctl("del", "--from-key", "/d/q", "--prev-kv");
        pair.ctl("get", "--prefix", "/d/", "-w", "json");
        pair.ctl("del", "--prefix", "/d/", "-w", "json");
        pair.ctl("del", "--from-key", "--prefix", "/d/");
        pair.ctl("del");
    }

    @Test
    @Order(4)
    void txnFromStdinEvaluatesComparesLikeEtcd() {
        pair.ctl("put", "/t/k", "v");
        pair.ctl("put", "/t/k", "v");
        String[] scripts = {
            // mod("/t/k") is 3 after the two puts (revisions 2, 3 plus what earlier tests wrote is not
            // known here, so these scripts are chosen to exercise both branches regardless).
            "mod(\"/t/k\") > \"0\"\n\nput /t/k then1\nget /t/k\n\nget /t/k\n\n",
            "mod(\"/t/k\") = \"1\"\n\nput /t/k bad\n\nput /t/else e1\nget /t/k\n\n",
            "create(\"/t/new\") = \"0\"\n\nput /t/new created\n\nget /t/new\n\n",
            "create(\"/t/new\") = \"0\"\n\nput /t/new created-again\n\nget /t/new\n\n",
            "value(\"/t/new\") = \"created\"\n\ndel /t/new\n\nput /t/x x\n\n",
            "value(\"/t/k\") = \"then1\"\nversion(\"/t/k\") > \"1\"\n\nput /t/both yes\n\nput /t/both no\n\n",
            "version(\"/t/k\") < \"2\"\n\nput /t/lt yes\n\nget /t/k\n\n",
            "value(\"/t/k\") != \"then1\"\n\nput /t/ne yes\n\ndel /t/both --prev-kv\n\n",
            "\n\nput /t/empty-compares v\n\n\n",
            "\nput /t/a 1\nput /t/b 2\ndel /t/x\nget --prefix /t/\n\n\n",
            "mod(\"/t/a\") > \"0\"\n\nget /t/ --prefix --count-only\n\nget /t/a\n\n",
            "version(\"/t/missing\") = \"0\"\n\nput /t/missing here\n\n\n",
            "value(\"/t/missing\") = \"here\"\n\ndel --prefix /t/\n\n\n",
        };
        for (String script : scripts) {
            pair.ctlStdin(script, "txn");
            pair.ctl("put", "/t/k", "then1");
        }
        for (String script : scripts) {
            pair.ctlStdin(script, "txn", "-w", "json");
        }
        pair.ctlStdin("mod(\"/t/k\") = \"x\"\n\nput /t/k v\n\n\n", "txn");
        pair.ctlStdin("nonsense(\"/t/k\") = \"1\"\n\nput /t/k v\n\n\n", "txn");
        pair.ctlStdin("\n\nput /t/dup 1\nput /t/dup 2\n\n\n", "txn");
    }

    /** Kept last: compaction discards history that other tests' reads would rely on. */
    @Test
    @Order(100)
    void compactionThenReadsBelowAtAndAboveTheCompactRevision() {
        for (int i = 0; i < 5; i++) {
            pair.ctl("put", "/c/k", "v" + i);
        }
        String status = pair.ctl("get", "/c/k", "-w", "json").stdout();
        long rev = Long.parseLong(status.replaceAll("(?s).*\"revision\":(\\d+).*", "$1"));
        long compactAt = rev - 2;
        pair.ctl("compaction", Long.toString(compactAt));
        pair.ctl("get", "/c/k", "--rev", Long.toString(compactAt - 1));
        pair.ctl("get", "/c/k", "--rev", Long.toString(compactAt - 1), "-w", "json");
        pair.ctl("get", "/c/k", "--rev", "1");
        pair.ctl("get", "/c/k", "--rev", Long.toString(compactAt), "-w", "json");
        pair.ctl("get", "/c/k", "--rev", Long.toString(compactAt + 1), "-w", "json");
        pair.ctl("get", "/c/k", "--rev", Long.toString(rev), "-w", "json");
        pair.ctl("get", "/c/k", "--rev", Long.toString(rev + 1));
        pair.ctl("compaction", Long.toString(compactAt));
        pair.ctl("compaction", Long.toString(compactAt - 1));
        pair.ctl("compaction", Long.toString(rev + 10));
        pair.ctl("compaction", "--physical", Long.toString(rev));
        pair.ctl("get", "/c/k", "--rev", Long.toString(rev), "-w", "json");
        pair.ctl("get", "/c/k", "--rev", Long.toString(rev - 1), "-w", "json");
        pair.ctl("get", "--prefix", "/", "--rev", Long.toString(rev - 1), "--count-only");
        pair.ctl("get", "--prefix", "/", "--count-only", "-w", "json");
        pair.ctl("compaction", "0");
        pair.ctl("compaction", "-5");
        pair.ctl("put", "/c/after", "x", "-w", "json");
        pair.ctl("compaction", "--physical", Long.toString(rev + 1));
        pair.ctl("get", "/c/after", "-w", "json");
        pair.ctl("endpoint", "status");
    }
}
