package io.keyline.benchmark;

import io.keyline.benchmark.client.BenchmarkFailure;
import io.keyline.benchmark.kv.PutCommand;
import io.keyline.benchmark.kv.RangeCommand;
import io.keyline.benchmark.kv.TxnMixedCommand;
import io.keyline.benchmark.kv.TxnPutCommand;
import io.keyline.benchmark.lease.LeaseKeepaliveCommand;
import io.keyline.benchmark.mvcc.MvccCommand;
import io.keyline.benchmark.mvcc.MvccPutCommand;
import io.keyline.benchmark.report.Stats;
import io.keyline.benchmark.watch.WatchCommand;
import io.keyline.benchmark.watch.WatchGetCommand;
import io.keyline.benchmark.watch.WatchLatencyCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * keyline-benchmark: etcd's "benchmark" tool (same subcommands, flags, defaults and report text)
 * speaking etcd's gRPC contract directly, so it measures Keyline and real etcd alike.
 */
@Command(name = "benchmark", description = {"A low-level benchmark tool for etcd3.",
        "It uses gRPC client directly and does not depend on etcd client library."},
        mixinStandardHelpOptions = true, version = "keyline-benchmark 0.1.0",
        subcommands = {PutCommand.class, RangeCommand.class, TxnPutCommand.class, TxnMixedCommand.class,
                WatchCommand.class, WatchLatencyCommand.class, WatchGetCommand.class, LeaseKeepaliveCommand.class,
                MvccCommand.class, MvccPutCommand.Shortcut.class, JmhCommand.class})
public final class KeylineBenchmark implements Runnable {
    @Mixin
    private GlobalOptions global = new GlobalOptions();

    private final PrintStream out;
    private final PrintStream err;
    private final List<Stats> results = new ArrayList<>();

    private KeylineBenchmark(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            // JMH parses its own options ("-f 1 -wi 2"); picocli would take them for ours
            JmhCommand.runJmh(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(run(System.out, System.err, true, args).exitCode());
    }

    /** The outcome of one command line run in-process: its exit code and every report it printed. */
    public record Outcome(int exitCode, List<Stats> reports) {}

    /** Runs one command line; progress false keeps the live bar off stderr. */
    public static Outcome run(PrintStream out, PrintStream err, boolean progress, String... args) {
        KeylineBenchmark root = new KeylineBenchmark(out, err);
        root.global.progress = progress ? err : null;
        CommandLine cl = new CommandLine(root);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println(failureText(ex));
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        return new Outcome(code, List.copyOf(root.results));
    }

    private static String failureText(Exception ex) {
        if (ex instanceof BenchmarkFailure || ex instanceof IllegalArgumentException) {
            return "Error: " + ex.getMessage();
        }
        return "Error: " + ex;
    }

    @Override
    public void run() {
        CommandLine.usage(this, out);
    }

    public GlobalOptions global() {
        return global;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Keeps a finished report for in-process callers (tests, the comparison). */
    public void recorded(Stats s) {
        synchronized (results) {
            results.add(s);
        }
    }
}
