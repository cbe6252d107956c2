package io.keyline.it;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code etcdctl get} with every flag prints the same thing (exit code, stdout, stderr; in
 * {@code -w simple}, {@code -w json} and {@code -w fields}) against Keyline as against real etcd
 * 3.4, over one fixture history written identically to both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdctlGetDifferentialTest {

    static final String UNICODE_KEY = "/kv/ü-ключ-🔑";
    static final String CONTROL_KEY = "/kv/\u0001ctl\ttab";

    private DifferentialPair pair;

    /**
     * The fixture, one revision per line (revision 1 is the empty store):
     * 2 /kv/a=1, 3 /kv/b=2, 4 /kv/c=3, 5 /kv/a=10, 6 /kv/d=zz, 7 /kv/b=0, 8 "/kv/e"="v e",
     * 9 del /kv/d, 10 /kv/c=3b, 11 unicode key, 12 control-character key, 13 /kv0=x, 14 /kw=y,
     * 15 a=top, 16 "/kv/with space"="sp".
     */
    @BeforeAll
    void writeFixture() {
        pair = DifferentialPair.start("get");
        String[][] puts = {
            {"put", "/kv/a", "1"}, {"put", "/kv/b", "2"}, {"put", "/kv/c", "3"}, {"put", "/kv/a", "10"},
            {"put", "/kv/d", "zz"}, {"put", "/kv/b", "0"}, {"put", "/kv/e", "v e"}, {"del", "/kv/d"},
            {"put", "/kv/c", "3b"}, {"put", UNICODE_KEY, "значение 🙂"}, {"put", CONTROL_KEY, "\u0002bin"},
            {"put", "/kv0", "x"}, {"put", "/kw", "y"}, {"put", "a", "top"}, {"put", "/kv/with space", "sp"},
        };
        for (String[] p : puts) {
            pair.ctl(p);
        }
        pair.assertNoMismatches();
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

    static Stream<Arguments> getFlags() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"/kv/a"});
        rows.add(new String[] {"/kv/missing"});
        rows.add(new String[] {"/kv/d"});
        rows.add(new String[] {"--prefix", "/kv/"});
        rows.add(new String[] {"--prefix", "/kv"});
        rows.add(new String[] {"--prefix", ""});
        rows.add(new String[] {"--prefix", "/nothing/"});
        rows.add(new String[] {"/kv/a", "/kv/c"});
        rows.add(new String[] {"/kv/c", "/kv/a"});
        rows.add(new String[] {"/kv/a", "/kv/a"});
        rows.add(new String[] {"--from-key", "/kv/b"});
        rows.add(new String[] {"--from-key", "a"});
        rows.add(new String[] {"--from-key", "b"});
        rows.add(new String[] {"--prefix", "/kv/", "--limit", "2"});
        rows.add(new String[] {"--prefix", "/kv/", "--limit", "0"});
        rows.add(new String[] {"--prefix", "/kv/", "--limit", "100"});
        rows.add(new String[] {"--from-key", "/kv/b", "--limit", "1"});
        rows.add(new String[] {"/kv/a", "--rev", "1"});
        rows.add(new String[] {"/kv/a", "--rev", "2"});
        rows.add(new String[] {"/kv/a", "--rev", "4"});
        rows.add(new String[] {"/kv/a", "--rev", "5"});
        rows.add(new String[] {"/kv/d", "--rev", "8"});
        rows.add(new String[] {"/kv/d", "--rev", "9"});
        rows.add(new String[] {"--prefix", "/kv/", "--rev", "6"});
        rows.add(new String[] {"--prefix", "/kv/", "--rev", "16"});
        rows.add(new String[] {"--prefix", "/kv/", "--rev", "17"});
        rows.add(new String[] {"--prefix", "/kv/", "--rev", "1000"});
        rows.add(new String[] {"--prefix", "/kv/", "--rev", "4", "--limit", "2"});
        for (String target : new String[] {"KEY", "VERSION", "CREATE", "MODIFY", "VALUE"}) {
            for (String order : new String[] {"ASCEND", "DESCEND"}) {
                rows.add(new String[] {"--prefix", "/kv/", "--sort-by=" + target, "--order=" + order});
            }
            rows.add(new String[] {"--prefix", "/kv/", "--sort-by=" + target});
        }
        rows.add(new String[] {"--prefix", "/kv/", "--order=DESCEND"});
        rows.add(new String[] {"--prefix", "/kv/", "--order=ASCEND"});
        rows.add(new String[] {"--prefix", "/kv/", "--sort-by=MODIFY", "--order=DESCEND", "--limit", "2"});
        rows.add(new String[] {"--prefix", "/kv/", "--keys-only"});
        rows.add(new String[] {"--prefix", "/kv/", "--count-only"});
        rows.add(new String[] {"--prefix", "/kv/", "--count-only", "--limit", "1"});
        rows.add(new String[] {"--prefix", "/kv/", "--keys-only", "--limit", "1"});
        rows.add(new String[] {"--prefix", "/kv/", "--print-value-only"});
        rows.add(new String[] {"--prefix", "/kv/", "--hex"});
        rows.add(new String[] {"--prefix", "/kv/", "--consistency=s"});
        rows.add(new String[] {"--prefix", "/kv/", "--consistency=l"});
        rows.add(new String[] {"--prefix", "/kv/", "--min-mod-rev=7"});
        rows.add(new String[] {"--prefix", "/kv/", "--max-mod-rev=7"});
        rows.add(new String[] {"--prefix", "/kv/", "--min-create-rev=4"});
        rows.add(new String[] {"--prefix", "/kv/", "--max-create-rev=4"});
        rows.add(new String[] {"--prefix", "/kv/", "--min-mod-rev=5", "--max-mod-rev=10"});
        rows.add(new String[] {"--prefix", "/kv/", "--min-create-rev=3", "--max-create-rev=8", "--limit", "1"});
        rows.add(new String[] {"--prefix", "/kv/", "--min-mod-rev=7", "--count-only"});
        rows.add(new String[] {UNICODE_KEY});
        rows.add(new String[] {CONTROL_KEY});
        rows.add(new String[] {"/kv/with space"});
        rows.add(new String[] {"--prefix", "/kv/", "--sort-by=BOGUS"});
        rows.add(new String[] {"--consistency=x", "/kv/a"});
        rows.add(new String[] {"--from-key", "--prefix", "/kv/"});
        rows.add(new String[] {"--rev", "-1", "/kv/a"});
        return rows.stream().map(r -> Arguments.of(String.join(" | ", r), r));
    }

    @ParameterizedTest(name = "get {0}")
    @MethodSource("getFlags")
    void getPrintsTheSameAsEtcdInEveryOutputFormat(String label, String[] flags) {
        for (String format : new String[] {"simple", "json", "fields"}) {
            String[] args = new String[flags.length + 2];
            args[0] = "get";
            args[1] = "-w=" + format;
            System.arraycopy(flags, 0, args, 2, flags.length);
            pair.ctl(args);
        }
    }
}
