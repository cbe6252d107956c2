package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands that write, in one sequence run twice: by etcdctl 3.4 against one fresh etcd and by
 * keylinectl against another, so revisions stay comparable. Each step's stdout, stderr and exit
 * status must match once server-specific ids are masked. {@link WriteCommandsOnKeylineTest} runs
 * the same sequence with two fresh Keyline servers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteCommandsCompatTest {
    private Side real;
    private Side ours;
    private Path dir;

    /** The kind of server each tool gets a fresh one of; overridden to run the steps on Keyline. */
    EtcdServer.Kind server() {
        return EtcdServer.Kind.ETCD;
    }

    @BeforeAll
    void start() throws Exception {
        real = new Side(EtcdServer.start(server()), true);
        ours = new Side(EtcdServer.start(server()), false);
        dir = Files.createTempDirectory("keylinectl-snap");
        real.path("SNAPDIR", dir.resolve("real").toString());
        ours.path("SNAPDIR", dir.resolve("ours").toString());
    }

    @AfterAll
    void stop() throws Exception {
        for (Side side : new Side[] {real, ours}) {
            if (side != null) {
                side.etcd.close();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static final String TXN_OK = "value(\"a\") = \"2\"\nmod(\"b\") > \"0\"\n\nput x 1 --prev-kv\nget a\n"
            + "del nothere\nput q \"with space\"\nget --prefix k --keys-only --limit 2\n\nput y 2\n\n";
    private static final String TXN_FAIL = "ver(\"a\") = \"99\"\n\nput x 2\n\nput y 3\nget y -w json\ndel x --prev-kv\n\n";

    /** The steps run against {@link #server()}: all of them here. */
    List<String> steps() {
        return allSteps();
    }

    /** Steps in order: stdin ('|' separated from the arguments, "\n" escaped) then arguments. */
    static List<String> allSteps() {
        return List.of(
                "put a 1", "put a 2 --prev-kv", "put b x -w fields", "put b y --prev-kv -w fields",
                "put a 2 --prev-kv -w json", "from stdin\\nline 2|put c", "|put c", "put c --ignore-value -w json",
                "put c v --ignore-value", "put a new -w table", "put a 2", "get --prefix '' -w json",
                "del nothere", "put k1 v1", "put k2 v2", "put k3 v3", "del k1 k3 --prev-kv -w fields",
                "del --prefix k -w json --prev-kv", "put k4 v4", "del --from-key k --prev-kv", "del '' --prefix",
                "put a 2", "put b y",
                // txn: piped and interactive, success and failure, every format
                TXN_OK + "|txn", TXN_OK + "|txn -i", TXN_OK + "|txn -w json", TXN_OK + "|txn -w fields",
                TXN_FAIL + "|txn", TXN_FAIL + "|txn -w json", "\\n\\n\\n|txn", "|txn", "bad\\n\\n\\n|txn",
                "val(\"a\") = \"x\"\\n|txn", "val(\"a\") = x\\n\\n\\n|txn", "foo(\"a\") = \"1\"\\n\\n\\n|txn",
                "ver(\"a\") = \"x\"\\n\\n\\n|txn", "\\nput a\\n\\n|txn", "\\nbogus a b\\n\\n\\n|txn", "\\nput\\n\\n\\n|txn", "\\nput y -x\\n\\n\\n|txn", "\\ndel --bogus y\\n\\n\\n|txn",
                "\\nget --limit x y\\n\\n\\n|txn", "\\nput 'k' 'v'\\n\\n\\n|txn",
                "c(\"a\") < \"100\"\\nm(\"a\") != \"1\"\\n\\nget a --print-value-only\\n\\n\\n|txn -w fields",
                // leases
                "lease grant 100", "lease grant 200 -w json", "lease grant 300 -w fields", "put lk v --lease $LEASE1",
                "get lk -w json", "put lk2 v --lease $LEASE1 -w fields", "lease keep-alive --once $LEASE1",
                "lease keep-alive --once $LEASE1 -w json", "lease revoke $LEASE2", "lease revoke $LEASE3 -w json",
                "lease revoke $LEASE3", "lease list", "lease list -w json", "put lk v2 --ignore-lease",
                "get lk -w fields", "put lk v3 --lease 1234", "lease grant 0", "lease revoke $LEASE1", "get lk",
                "lease timetolive $LEASE1", "lease keep-alive --once $LEASE1",
                // compaction and maintenance
                "compaction 5", "compaction 5", "get a --rev 2", "compaction 1000", "compaction 8 --physical",
                "watch a --rev 2", "watch a --rev 2 -w json", "defrag", "defrag --cluster", "defrag -w json",
                "endpoint health -w json", "endpoint health -w fields", "endpoint health",
                // Steps on the added member were dropped: its id is random, so which of two members
                // lists first varied, and "$MEMBER2" was substituted as "$MEMBER" + "2".
                "snapshot save $SNAPDIR",
                // refused membership changes, before the added member costs etcd its quorum
                "member remove 1234", "member update 1234 --peer-urls http://127.0.0.1:2", "member promote 1234",
                "member promote $MEMBER", "member remove $MEMBER", "member update $MEMBER --peer-urls bad",
                "member add n9 --peer-urls 127.0.0.1:2", "member add n9 --peer-urls http://127.0.0.1",
                "member add n9 --peer-urls http://127.0.0.1:2/p", "member add n9 --peer-urls http://127.0.0.1:2,",
                // The second add also names a new URL: etcd derives a member's id from its URLs and the
                // second, so the same URLs within one second would be refused as a duplicate id instead.
                "member add n2 --peer-urls http://127.0.0.1:1",
                "member add n2 --learner --peer-urls http://127.0.0.1:1,http://127.0.0.1:3", "move-leader $MEMBER");
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("steps")
    void sameAsEtcdctl(String step) throws Exception {
        int bar = step.lastIndexOf('|');
        String stdin = bar < 0 ? "" : step.substring(0, bar).replace("\\n", "\n");
        String[] args = ReadCommandsCompatTest.words(bar < 0 ? step : step.substring(bar + 1));
        CtlRun want = real.run(stdin, args);
        CtlRun got = ours.run(stdin, args);
        learnIds(real, want);
        learnIds(ours, got);
        UnaryOperator<String> fix = normalizer(args);
        String w = fix.apply(real.mask(want.toString()));
        String g = fix.apply(Known35.adjustHealth(args, ours.mask(got.toString())));
        assertEquals(w, g, "step: " + step);
    }

    /** Ids that the servers make up (leases, new members) get names as they appear. */
    private static void learnIds(Side side, CtlRun r) {
        Matcher m = Pattern.compile("lease ([0-9a-f]{16}) granted|\"ID\":(\\d+),\"TTL\"|\"ID\" : (\\d+)\n\"TTL\"|Member +([0-9a-f]+) added")
                .matcher(r.stdout());
        while (m.find()) {
            if (m.group(4) != null) {
                side.id("MEMBER2", Long.parseUnsignedLong(m.group(4), 16));
                continue;
            }
            long id = m.group(1) != null ? Long.parseUnsignedLong(m.group(1), 16)
                    : Long.parseLong(m.group(2) != null ? m.group(2) : m.group(3));
            int n = 1;
            while (side.vars.containsKey("LEASE" + n)) {
                n++;
            }
            side.id("LEASE" + n, id);
        }
    }

    /** Per-step normalising of what both tools print in a server-chosen order or timing. */
    private static UnaryOperator<String> normalizer(String[] args) {
        List<String> a = Arrays.asList(args);
        return s -> {
            // Member lists come sorted by random member id.
            Matcher m = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]*)\"").matcher(s);
            if (m.find()) {
                String[] parts = m.group(1).split(",");
                Arrays.sort(parts);
                s = m.replaceFirst("ETCD_INITIAL_CLUSTER=\"" + String.join(",", parts) + "\"");
            }
            if (a.contains("snapshot")) {
                s = s.replaceAll("\"size\":\"[^\"]*\"", "\"size\":SIZE");
            }
            return s.replaceAll("remaining\\(\\d+s\\)", "remaining(Ns)");
        };
    }
}
