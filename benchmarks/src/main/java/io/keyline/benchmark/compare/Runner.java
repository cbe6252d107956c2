package io.keyline.benchmark.compare;

import io.keyline.benchmark.KeylineBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one workload against one cluster in this JVM, so the load generator is as warm for the
 * last round as for the first and the same for both sides, and charges the servers' CPU and peak
 * RSS over exactly that run to it. A run that outlives the timeout is abandoned and reported.
 */
final class Runner implements AutoCloseable {
    private final Settings settings;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "compare-run");
        t.setDaemon(true);
        return t;
    });

    Runner(Settings settings) {
        this.settings = settings;
    }

    RunResult run(Workload w, Cluster c) throws InterruptedException {
        List<String> args = new ArrayList<>(w.args());
        args.addAll(List.of("--endpoints", String.join(",", c.endpoints()), "--dial-timeout", "10s"));
        List<Long> pids = c.pids();
        pids.forEach(ProcStats::resetPeak);
        double cpu0 = cpu(pids);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Future<KeylineBenchmark.Outcome> f = executor.submit(
                () -> KeylineBenchmark.run(discard, errStream, false, args.toArray(String[]::new)));
        KeylineBenchmark.Outcome o;
        try {
            o = f.get(settings.runTimeoutSecs(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return RunResult.failed("timed out after " + settings.runTimeoutSecs() + "s");
        } catch (java.util.concurrent.ExecutionException e) {
            return RunResult.failed("benchmark crashed: " + e.getCause());
        }
        double cpu = cpu(pids) - cpu0;
        long rss = pids.stream().mapToLong(ProcStats::peakRssKb).sum();
        return RunResult.of(o, err.toString(StandardCharsets.UTF_8), cpu, rss);
    }

    private static double cpu(List<Long> pids) {
        return pids.stream().mapToDouble(ProcStats::cpuSeconds).sum();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
