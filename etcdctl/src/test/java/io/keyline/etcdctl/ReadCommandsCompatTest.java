package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands that change nothing, run by etcdctl 3.4 and by keylinectl against one etcd: stdout,
 * stderr and exit status must match byte for byte (after masking log timestamps and ids).
 * {@link ReadCommandsOnKeylineTest} runs the same table against a Keyline server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadCommandsCompatTest {
    private EtcdServer etcd;

    /** The server both tools talk to; overridden to run the table against Keyline. */
    EtcdServer.Kind server() {
        return EtcdServer.Kind.ETCD;
    }

    @BeforeAll
    void seed() throws Exception {
        etcd = EtcdServer.start(server());
        String[][] puts = {{"foo", "bar"}, {"foo", "baz"}, {"k1", "v1"}, {"k2", "v2"}, {"k3", "a b"},
                {"kz", "x\ty\"q\"<&>"}, {"u", "héllo ☃"}, {"z\u00ff", "\u0001"}, {"k2", "v2b"}};
        for (String[] kv : puts) {
            CtlRun r = Tools.etcdctl(etcd, "", Map.of(), "put", kv[0], kv[1]);
            assertEquals(0, r.code(), r.toString());
        }
        Tools.etcdctl(etcd, "", Map.of(), "del", "k3");
        Tools.etcdctl(etcd, "", Map.of(), "put", "k3", "again");
    }

    @AfterAll
    void stop() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    /** The rows run against {@link #server()}: all of them here. */
    Stream<String> commandLines() {
        return allCommandLines();
    }

    /** Each row: a command line, words split on spaces; "''" is an empty argument. */
    static Stream<String> allCommandLines() {
        return Stream.of(
                // get: ranges, flags and formats
                "get foo", "get foo -w json", "get foo -w fields", "get foo -w protobuf", "get foo -w table",
                "get --prefix k", "get --prefix k -w json", "get --prefix k -w fields", "get --prefix k --hex",
                "get '' --prefix --keys-only", "get '' --from-key", "get k1 k3", "get k1 k3 -w json",
                "get --from-key k2", "get --prefix k --limit 2", "get --prefix k --limit 2 -w json",
                "get --prefix k --sort-by=VALUE --order=DESCEND", "get --prefix k --sort-by=CREATE --order=ASCEND",
                "get --prefix k --sort-by=MODIFY --order=descend -w fields", "get --prefix k --sort-by=VERSION --order=DESCEND",
                "get --prefix k --sort-by=value", "get --prefix k --order=DESCEND",
                "get foo --rev 2", "get foo --rev 3 -w json", "get foo --rev 1000", "get --prefix '' --rev 5 --keys-only",
                "get kz", "get kz -w fields", "get kz -w json", "get u -w fields", "get u --hex", "get --prefix z -w fields",
                "get --prefix z", "get foo --print-value-only", "get --prefix k --print-value-only",
                "get foo -w json --print-value-only", "get foo --consistency s", "get foo --consistency x",
                "get foo --order x", "get foo --sort-by x", "get nothere", "get nothere -w json", "get ''",
                "get", "get --prefix --from-key a", "get --prefix a b", "get --from-key a b",
                "get --prefix=true k", "get --prefix=false k1", "ge foo", "get -- foo",
                // global flags
                "-w json get foo", "get foo --write-out=fields", "--hex get foo", "get foo -w xml",
                "--command-timeout 3s get foo", "--dial-timeout=1s get foo", "--debug=false get foo",
                // bad flags and commands
                "get --bogus", "get -x", "get --limit", "get -w", "get --limit x k", "get --rev 1.5 k",
                "--dial-timeout x get k", "bogus", "get -h", "put --help", "del -h", "txn -h", "watch -h",
                "lease", "lease bogus", "lease grant -h", "lease keep-alive -h", "member list -h", "member add -h",
                "endpoint health -h", "endpoint status -h", "endpoint hashkv -h", "defrag -h", "alarm list -h",
                "compaction -h", "move-leader -h", "snapshot save -h", "version -h", "member", "endpoint", "alarm",
                "check perf -h", "check datascale -h",
                // argument errors
                "put", "put --lease zz a b", "put --ignore-value a b", "del", "del a b c", "del --prefix a b",
                "del --prefix --from-key a", "compaction", "compaction x", "compaction 1 2", "lease grant",
                "lease grant x", "lease revoke", "lease revoke zz", "lease timetolive", "lease keep-alive",
                "member add", "member add a http://x", "member add a", "member remove", "member remove zz",
                "member update 1", "member update", "member promote", "move-leader", "move-leader zz",
                "snapshot save", "txn a", "alarm list x", "alarm disarm x", "version",
                // cluster and maintenance reads
                "member list", "member list -w json", "member list -w table", "member list -w fields",
                "member list -w protobuf", "endpoint status", "endpoint status -w json", "endpoint status -w table",
                "endpoint status -w fields", "endpoint status -w protobuf", "endpoint status --cluster",
                "endpoint hashkv", "endpoint hashkv -w json", "endpoint hashkv -w table", "endpoint hashkv -w fields",
                "endpoint hashkv --rev 3", "endpoint hashkv --cluster", "endpoint health -w protobuf",
                "alarm list", "alarm list -w json", "alarm list -w protobuf", "alarm list -w table",
                "alarm disarm", "alarm disarm -w json",
                "lease list -w fields", "lease timetolive 1234", "lease timetolive 1234 -w json",
                "lease timetolive 1234 -w fields", "lease revoke 1234", "lease keep-alive --once 1234");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void sameAsEtcdctl(String line) throws Exception {
        String[] args = words(line);
        CtlRun want = Tools.etcdctl(etcd, "", Map.of(), args).map(Masks::runToRun);
        CtlRun got = Tools.keylinectl(etcd, "", Map.of(), args).map(Masks::runToRun);
        assertEquals(want.toString(), Known35.adjust(args, got.toString()), "keylinectl " + line);
    }

    /** ETCDCTL_* variables stand in for global flags; a flag set both ways is fatal. */
    static Stream<Object[]> environments() {
        return Stream.of(
                new Object[] {Map.of("ETCDCTL_WRITE_OUT", "json"), "get foo"},
                new Object[] {Map.of("ETCDCTL_HEX", "true"), "get foo"},
                new Object[] {Map.of("ETCDCTL_WRITE_OUT", "fields", "ETCDCTL_COMMAND_TIMEOUT", "3s"), "get foo"},
                new Object[] {Map.of("ETCDCTL_DIAL_TIMEOUT", "3s"), "--dial-timeout 1s get foo"},
                new Object[] {Map.of("ETCDCTL_FOO", "1"), "get foo"},
                new Object[] {Map.of("ETCDCTL_WRITE_OUT", "xml"), "get foo"});
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("environments")
    void environmentSameAsEtcdctl(Map<String, String> env, String line) throws Exception {
        String[] args = words(line);
        CtlRun want = Tools.etcdctl(etcd, "", env, args).map(Masks::runToRun);
        CtlRun got = Tools.keylinectl(etcd, "", env, args).map(Masks::runToRun);
        assertEquals(want.toString(), got.toString(), env + " keylinectl " + line);
    }

    @Test
    void endpointFlagWinsOverNothingDeadEndpointTimesOutAndALiveOneIsUsed() throws Exception {
        Map<String, String> env = Map.of("NO_ENDPOINT", "");
        for (String line : List.of("--endpoints " + etcd.endpoint() + " get foo",
                "--endpoints 127.0.0.1:1," + etcd.endpoint() + " --command-timeout 3s get foo",
                "--endpoints 127.0.0.1:1," + etcd.endpoint() + " --command-timeout 3s member list",
                "--endpoints 127.0.0.1:1 --command-timeout 1s get foo",
                "--endpoints 127.0.0.1:1 --command-timeout 1s put a b",
                "--endpoints 127.0.0.1:1 --command-timeout 1s endpoint status")) {
            String[] args = words(line);
            CtlRun want = Tools.etcdctl(etcd, "", env, args).map(Masks::runToRun);
            CtlRun got = Tools.keylinectl(etcd, "", env, args).map(Masks::runToRun);
            assertEquals(want.toString(), got.toString(), "keylinectl " + line);
        }
    }

    static String[] words(String line) {
        List<String> w = new ArrayList<>();
        for (String s : line.split(" ")) {
            w.add(s.equals("''") ? "" : s);
        }
        return w.toArray(new String[0]);
    }
}
