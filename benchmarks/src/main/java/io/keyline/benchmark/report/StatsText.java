package io.keyline.benchmark.report;

import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.HistogramIterationValue;

/** The text etcd's benchmark prints for a report: Summary, response time histogram, latency distribution, errors. */
public final class StatsText {
    private static final String BAR = "\u220e";
    private static final int BUCKETS = 10;

    private StatsText() {}

    public static String of(Stats s, boolean precise) {
        StringBuilder b = new StringBuilder();
        if (s.count() > 0) {
            b.append("\nSummary:\n");
            b.append("  Total:\t").append(secs(s.totalSecs(), precise)).append(".\n");
            b.append("  Slowest:\t").append(secs(s.slowest(), precise)).append(".\n");
            b.append("  Fastest:\t").append(secs(s.fastest(), precise)).append(".\n");
            b.append("  Average:\t").append(secs(s.average(), precise)).append(".\n");
            b.append("  Stddev:\t").append(secs(s.stddev(), precise)).append(".\n");
            b.append("  Requests/sec:\t").append(GoFloat.format(s.rps(), precise)).append('\n');
            histogram(b, s, precise);
            latencies(b, s);
        }
        if (!s.errors().isEmpty()) {
            b.append("\nError distribution:\n");
            for (Map.Entry<String, Long> e : s.errors().entrySet()) {
                b.append("  [").append(e.getValue()).append("]\t").append(e.getKey()).append('\n');
            }
        }
        return b.toString();
    }

    private static String secs(double v, boolean precise) {
        return GoFloat.format(v, precise) + " secs";
    }

    /** Ten equal buckets from fastest to slowest plus one at slowest; a latency counts in the first bucket at or above it. */
    private static void histogram(StringBuilder b, Stats s, boolean precise) {
        double[] edges = new double[BUCKETS + 1];
        double width = (s.slowest() - s.fastest()) / BUCKETS;
        for (int i = 0; i < BUCKETS; i++) {
            edges[i] = s.fastest() + width * i;
        }
        edges[BUCKETS] = s.slowest();
        long[] counts = new long[BUCKETS + 1];
        for (HistogramIterationValue v : s.histogram().recordedValues()) {
            // the histogram keeps 3 significant digits: clamp its bucket value to the exact extremes
            double lat = Math.min(s.slowest(), Math.max(s.fastest(), s.histogram().medianEquivalentValue(v.getValueIteratedTo()) / 1e9));
            int i = 0;
            while (i < BUCKETS && lat > edges[i]) {
                i++;
            }
            counts[i] += v.getCountAddedInThisIterationStep();
        }
        long max = 0;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        b.append("\nResponse time histogram:\n");
        for (int i = 0; i <= BUCKETS; i++) {
            int len = max == 0 ? 0 : (int) (counts[i] * 40 / max);
            b.append("  ").append(GoFloat.format(edges[i], precise)).append(" [").append(counts[i]).append("]\t|")
                    .append(BAR.repeat(len)).append('\n');
        }
    }

    private static void latencies(StringBuilder b, Stats s) {
        b.append("\nLatency distribution:\n");
        for (double p : Stats.PERCENTILES) {
            double v = s.percentile(p);
            if (v > 0) {
                String pct = p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
                b.append("  ").append(pct).append("% in ").append(String.format(Locale.ROOT, "%.3f", v * 1000))
                        .append(" ms.\n");
            }
        }
    }
}
