package io.keyline.benchmark.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison's one table: per topology and workload, Keyline/etcd ratios of the round medians
 * (throughput above 1 and the others below 1 favour Keyline), then the absolute medians, then
 * whatever went wrong on either side.
 */
final class RatioTable {
    record Row(String topology, String workload, Sample etcd, Sample keyline) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row r) {
        rows.add(r);
    }

    void note(String n) {
        notes.add(n);
    }

    void print(PrintStream out) {
        String fmt = "%-9s %-27s %8s %8s %8s %8s %8s | %10s %10s %8s %8s %8s %8s%n";
        out.printf(fmt, "topology", "workload", "req/s", "p50", "p99", "cpu-s", "peakRSS",
                "etcd req/s", "kl req/s", "etcd p50", "kl p50", "etcd p99", "kl p99");
        out.printf(fmt, "", "", "K/E", "K/E", "K/E", "K/E", "K/E", "", "", "ms", "ms", "ms", "ms");
        for (Row r : rows) {
            out.printf(fmt, r.topology(), r.workload(),
                    ratio(r, RunResult::rps), ratio(r, RunResult::p50Ms), ratio(r, RunResult::p99Ms),
                    ratio(r, RunResult::cpuSecs), ratio(r, x -> x.rssKb()),
                    num(r.etcd().median(RunResult::rps), 0), num(r.keyline().median(RunResult::rps), 0),
                    num(r.etcd().median(RunResult::p50Ms), 2), num(r.keyline().median(RunResult::p50Ms), 2),
                    num(r.etcd().median(RunResult::p99Ms), 2), num(r.keyline().median(RunResult::p99Ms), 2));
        }
        boolean header = false;
        for (Row r : rows) {
            for (String side : List.of("etcd", "keyline")) {
                Sample s = side.equals("etcd") ? r.etcd() : r.keyline();
                if (s.error() != null) {
                    if (!header) {
                        out.println();
                        out.println("Errors (rows with errors show '-' where a side has no clean round):");
                        header = true;
                    }
                    out.printf("  %s / %s / %s (%d round(s) failed): %s%n", r.topology(), r.workload(), side,
                            s.failedRounds(), s.error());
                }
            }
        }
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("Note: " + n));
        }
    }

    private static String ratio(Row r, java.util.function.ToDoubleFunction<RunResult> f) {
        double e = r.etcd().median(f);
        double k = r.keyline().median(f);
        if (Double.isNaN(e) || Double.isNaN(k)) {
            return r.keyline().anyOk() && r.etcd().anyOk() ? "n/a" : "-";
        }
        if (e == 0) {
            return k == 0 ? "1.00" : "inf";
        }
        return String.format(Locale.ROOT, "%.2f", k / e);
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
