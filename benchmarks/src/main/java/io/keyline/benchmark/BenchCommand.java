package io.keyline.benchmark;

import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Stats;
import io.keyline.benchmark.report.StatsText;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the global flags, where to print, and how a report is printed. */
@picocli.CommandLine.Command(mixinStandardHelpOptions = true)
public abstract class BenchCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected KeylineBenchmark root() {
        return (KeylineBenchmark) spec.root().userObject();
    }

    protected GlobalOptions global() {
        return root().global();
    }

    protected PrintStream out() {
        return root().out();
    }

    protected ProgressBar bar(long total) {
        return ProgressBar.start(global().progress(), total);
    }

    /** etcd prints a report as its String(): a blank line, then "Summary:" and the rest. */
    protected void print(String heading, Stats s) {
        root().recorded(s);
        out().print(heading + StatsText.of(s, global().precise()));
        out().flush();
    }

    protected static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public final Integer call() throws Exception {
        execute();
        return 0;
    }

    protected abstract void execute() throws Exception;
}
