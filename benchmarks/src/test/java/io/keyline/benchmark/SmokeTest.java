package io.keyline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyline.benchmark.report.Stats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every subcommand Keyline supports today, tiny totals, against one real Keyline member. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmokeTest {
    private KeylineMember member;

    @BeforeAll
    void start() throws Exception {
        member = KeylineMember.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (member != null) {
            member.close();
        }
    }

    static Stream<String> commands() {
        return Stream.of(
                "put --total 50 --clients 4 --conns 2 --key-space-size 20 --sequential-keys",
                "put --total 20 --rate 200 --val-size 64 --compact-interval 50ms --compact-index-delta 5",
                "range foo --total 50 --clients 4 --conns 2",
                "range a z --total 50 --consistency s",
                "txn-put --total 30 --txn-ops 3 --key-space-size 10 --clients 3",
                "txn-mixed --total 40 --key-space-size 10 --clients 2",
                "txn-mixed --total 40 --consistency s --rw-ratio 3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void networkCommand(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--endpoints", member.endpoint(), "--dial-timeout", "20s"));
        assertRuns(args.toArray(String[]::new));
    }

    @Test
    void mvccPut() {
        assertRuns("mvcc-put", "--total", "200", "--batch-limit", "10");
        assertRuns("mvcc", "--batch-limit", "5", "put", "--total", "20", "--txn", "--txn-ops", "3");
    }

    private static void assertRuns(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KeylineBenchmark.Outcome o = KeylineBenchmark.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, args);
        String text = out.toString(StandardCharsets.UTF_8);
        String why = String.join(" ", args) + "\nstdout:\n" + text + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, o.exitCode(), why);
        assertTrue(text.contains("Summary:"), why);
        assertTrue(text.contains("Latency distribution:"), why);
        assertTrue(!text.contains("Error distribution:"), why);
        assertTrue(!o.reports().isEmpty(), why);
        for (Stats s : o.reports()) {
            assertEquals(0, s.errorCount(), why);
            assertTrue(s.count() > 0, why);
        }
    }
}
