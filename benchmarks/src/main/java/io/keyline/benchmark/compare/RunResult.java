package io.keyline.benchmark.compare;

import io.keyline.benchmark.KeylineBenchmark;
import io.keyline.benchmark.report.Stats;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run measured (its last report: the measured phase of every workload used
 * here), plus the servers' CPU and peak RSS over the run. error is null for a clean run; a run
 * with any failed request or a non-zero exit has one.
 */
record RunResult(double rps, double p50Ms, double p99Ms, double cpuSecs, long rssKb, String error) {

    static RunResult of(KeylineBenchmark.Outcome o, String stderr, double cpuSecs, long rssKb) {
        List<Stats> reports = o.reports();
        String error = null;
        if (o.exitCode() != 0) {
            error = stderr.lines().filter(l -> l.startsWith("Error")).findFirst().orElse("exit code " + o.exitCode()).trim();
        } else if (reports.isEmpty()) {
            error = "no report";
        } else {
            for (Stats s : reports) {
                if (s.errorCount() > 0) {
                    Map.Entry<String, Long> e = s.errors().entrySet().iterator().next();
                    error = s.errorCount() + " of " + (s.count() + s.errorCount()) + " requests failed, e.g. " + e.getKey();
                    break;
                }
            }
        }
        if (reports.isEmpty()) {
            return new RunResult(Double.NaN, Double.NaN, Double.NaN, cpuSecs, rssKb, error);
        }
        Stats s = reports.get(reports.size() - 1);
        return new RunResult(s.rps(), s.percentile(50) * 1000, s.percentile(99) * 1000, cpuSecs, rssKb, error);
    }

    static RunResult failed(String error) {
        return new RunResult(Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, error);
    }

    boolean ok() {
        return error == null;
    }
}
