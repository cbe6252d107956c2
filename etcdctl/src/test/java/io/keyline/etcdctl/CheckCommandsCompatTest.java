package io.keyline.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * etcdctl check perf and check datascale run by the real etcdctl and by keylinectl against a real
 * etcd and against Keyline: the same lines and exit statuses once the progress line and the measured
 * numbers are set aside. check perf's PASS/FAIL judges timings on a shared machine, so here only its
 * shape counts (every request succeeded, the verdict agrees with the exit status); the benchmark tool
 * measures speed. check perf writes 150 puts/s for 60 s, so its runs go two at a time on different servers.
 */
class CheckCommandsCompatTest {
    /** One drawing of the progress line: counters, percentage, and time left or spent. */
    private static final String PROGRESS = " \\d+ / \\d+ +\\d+\\.\\d+%( (\\d+h)?(\\d+m)?\\d+s)?";
    private static EtcdServer etcd;
    private static EtcdServer keyline;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdServer.start(EtcdServer.Kind.ETCD);
        keyline = EtcdServer.start(EtcdServer.Kind.KEYLINE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
        if (keyline != null) {
            keyline.close();
        }
    }

    @Test
    void badLoadsAndOccupiedPrefixesAreRefusedAsEtcdctlRefusesThem() throws Exception {
        for (EtcdServer s : List.of(etcd, keyline)) {
            Tools.etcdctl(s, "", Map.of(), "put", "/occupied/k", "v");
            for (String line : List.of("check", "check perf --load q", "check datascale --load xxl",
                    "check perf --prefix /occupied/", "check datascale --prefix /occupied/ --load small")) {
                String[] args = line.split(" ");
                CtlRun expected = Tools.etcdctl(s, "", Map.of(), args).map(Masks::runToRun);
                CtlRun actual = Tools.keylinectl(s, "", Map.of(), args).map(Masks::runToRun);
                assertEquals(expected.toString(), actual.toString(), s.kind + ": " + line);
            }
        }
    }

    @Test
    void datascaleWritesTenThousandKeysThenDeletesAndCompacts() throws Exception {
        for (EtcdServer s : List.of(etcd, keyline)) {
            CtlRun expected = verdict(Tools.runProcess(Tools.etcdctlProcess(s, Map.of(), "check", "datascale",
                    "--prefix", "/ds-etcdctl/", "--auto-compact"), "", 300));
            CtlRun actual = verdict(Tools.keylinectl(s, "", Map.of(), "check", "datascale",
                    "--prefix", "/ds-keylinectl/", "--auto-compact"));
            assertEquals(expected.toString(), actual.toString(), s.kind.name());
            assertEquals(0, actual.code(), actual.toString());
            for (String prefix : List.of("/ds-etcdctl/", "/ds-keylinectl/")) {
                CtlRun left = Tools.etcdctl(s, "", Map.of(), "get", "--prefix", prefix, "--keys-only");
                assertEquals("exit 0\n--- stdout\n--- stderr\n", left.toString());
            }
        }
    }

    @Test
    void perfPassesOnKeylineAndEtcdAlike() throws Exception {
        String[] perf = {"check", "perf", "--auto-compact", "--auto-defrag"};
        CompletableFuture<CtlRun> etcdctlOnEtcd = CompletableFuture.supplyAsync(() -> etcdctl(etcd, perf));
        CtlRun keylinectlOnKeyline = perfShape(Tools.keylinectl(keyline, "", Map.of(), perf));
        CtlRun reference = perfShape(etcdctlOnEtcd.join());
        CompletableFuture<CtlRun> etcdctlOnKeyline = CompletableFuture.supplyAsync(() -> etcdctl(keyline, perf));
        CtlRun keylinectlOnEtcd = perfShape(Tools.keylinectl(etcd, "", Map.of(), perf));
        assertEquals(reference.toString(), keylinectlOnEtcd.toString(), "keylinectl on etcd");
        assertEquals(reference.toString(), keylinectlOnKeyline.toString(), "keylinectl on Keyline");
        assertEquals(reference.toString(), perfShape(etcdctlOnKeyline.join()).toString(), "etcdctl on Keyline");
    }

    /**
     * A check perf run as its verdict-free shape: the timing verdicts become VERDICT, the exit status
     * becomes whether it agrees with the final verdict. Request errors are not timings and stay.
     */
    private static CtlRun perfShape(CtlRun run) {
        CtlRun v = verdict(run);
        boolean passed = v.stdout().endsWith("\nPASS\n");
        boolean agrees = passed ? run.code() == 0 : run.code() == 1 && v.stdout().endsWith("\nFAIL\n");
        String shape = v.stdout()
                .replaceAll("(?m)^(PASS: Throughput is|FAIL: Throughput too low:) ", "VERDICT Throughput ")
                .replaceAll("(?m)^(PASS: Slowest request took|Slowest request took too long:) ", "VERDICT Slowest ")
                .replaceAll("(?m)^(PASS: Stddev is|Stddev too high:) ", "VERDICT Stddev ")
                .replaceAll("(?m)^(PASS|FAIL)$", "VERDICT");
        return new CtlRun(shape, v.stderr(), agrees ? 0 : -1);
    }

    private static CtlRun etcdctl(EtcdServer s, String[] args) {
        try {
            return Tools.runProcess(Tools.etcdctlProcess(s, Map.of(), args), "", 300);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run without its progress line, with every measured number (and the endpoint) replaced. */
    private static CtlRun verdict(CtlRun run) {
        String endpoints = "\"" + etcd.endpoint() + "\"|\"" + keyline.endpoint() + "\"";
        // etcdctl finishes its bar from another goroutine, so a line may follow it without a newline
        return run.map(text -> Arrays.stream(text.replaceAll(PROGRESS, "").split("[\r\n]+"))
                .filter(line -> !line.isEmpty())
                .map(line -> line.replaceAll(endpoints, "ENDPOINT").replaceAll("-?\\d+(\\.\\d+)?", "N"))
                .collect(Collectors.joining("\n", "", "\n")));
    }
}
