package io.keyline.benchmark.report;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one report measured, in seconds as etcd's report keeps it. {@code histogram} holds every
 * successful latency in nanoseconds (3 significant digits); the exact extremes and moments are
 * kept beside it because etcd's Slowest, Fastest, Average and Stddev are exact.
 */
public record Stats(String name, long count, double totalSecs, double slowest, double fastest, double average,
                    double stddev, double rps, Histogram histogram, Map<String, Long> errors) {

    /** etcd's percentiles, in the order it prints them. */
    public static final double[] PERCENTILES = {10, 25, 50, 75, 90, 95, 99, 99.9};

    /** Latency at percentile p (0-100) in seconds, 0 when nothing succeeded. */
    public double percentile(double p) {
        return count == 0 ? 0 : histogram.getValueAtPercentile(p) / 1e9;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
