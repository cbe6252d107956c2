package io.keyline.etcdctl.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What etcd's pkg/report computes from a run's results: successful latencies (seconds), requests
 * per second over the whole run, and how often each error text occurred.
 */
final class PutReport {
    private final List<Double> latencies = new ArrayList<>();
    private final Map<String, Integer> errors = new TreeMap<>();
    private final long startNanos = System.nanoTime();
    private long totalNanos;

    synchronized void success(long nanos) {
        latencies.add(nanos / 1e9);
    }

    synchronized void failure(String error) {
        errors.merge(error, 1, Integer::sum);
    }

    /** Ends the run: requests per second are counted from the report's start to here. */
    synchronized void close() {
        totalNanos = System.nanoTime() - startNanos;
    }

    synchronized double requestsPerSecond() {
        return latencies.size() / (totalNanos / 1e9);
    }

    synchronized double slowest() {
        return latencies.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Population standard deviation, as etcd's report takes it. */
    synchronized double stddev() {
        double avg = latencies.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sum = 0;
        for (double l : latencies) {
            sum += (l - avg) * (l - avg);
        }
        return Math.sqrt(sum / latencies.size());
    }

    synchronized Map<String, Integer> errors() {
        return new TreeMap<>(errors);
    }
}
