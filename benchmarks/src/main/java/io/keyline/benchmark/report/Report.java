package io.keyline.benchmark.report;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Collects the results of one measured phase, from any thread, the way etcd's report does: a
 * failed request counts only in the error distribution, a successful one only in the latencies;
 * Total runs from {@link #start} to {@link #finish}.
 *
 * <p>A weight above 1 (one request that did several operations, as "mvcc put --txn") makes the
 * report count that many operations of 1/weight of the latency each, as etcd's weighted report.
 */
public final class Report {
    private final String name;
    private final Histogram histogram = new Histogram(3);
    private final Map<String, Long> errors = new TreeMap<>();
    private long count;
    private double weightTotal;
    private double sum;
    private double sumSquares;
    private double fastest = Double.MAX_VALUE;
    private double slowest;
    private long startNanos = System.nanoTime();

    public Report(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        startNanos = System.nanoTime();
    }

    public void record(long startNanos, long endNanos) {
        record(startNanos, endNanos, 1);
    }

    public synchronized void record(long startNanos, long endNanos, double weight) {
        long nanos = Math.max(0, Math.round((endNanos - startNanos) / weight));
        double secs = nanos / 1e9;
        histogram.recordValue(nanos);
        count++;
        weightTotal += weight;
        sum += secs;
        sumSquares += secs * secs;
        fastest = Math.min(fastest, secs);
        slowest = Math.max(slowest, secs);
    }

    public synchronized void error(String text) {
        errors.merge(text, 1L, Long::sum);
    }

    public synchronized Stats finish() {
        double total = (System.nanoTime() - startNanos) / 1e9;
        double avg = count == 0 ? 0 : sum / count;
        double variance = count == 0 ? 0 : Math.max(0, sumSquares / count - avg * avg);
        // etcd's weighted report scales requests/sec by the mean weight
        double rps = total <= 0 ? 0 : weightTotal / total;
        return new Stats(name, count, total, slowest, count == 0 ? 0 : fastest, avg, Math.sqrt(variance), rps,
                histogram.copy(), new TreeMap<>(errors));
    }
}
