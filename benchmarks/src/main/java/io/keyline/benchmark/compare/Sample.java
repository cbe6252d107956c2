package io.keyline.benchmark.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** All rounds of one workload on one side; the table shows the median of the clean rounds. */
final class Sample {
    private final List<RunResult> runs = new ArrayList<>();

    void add(RunResult r) {
        runs.add(r);
    }

    boolean anyOk() {
        return runs.stream().anyMatch(RunResult::ok);
    }

    /** The first error seen, or null when every round was clean. */
    String error() {
        return runs.stream().filter(r -> !r.ok()).map(RunResult::error).findFirst().orElse(null);
    }

    long failedRounds() {
        return runs.stream().filter(r -> !r.ok()).count();
    }

    double median(ToDoubleFunction<RunResult> f) {
        double[] v = runs.stream().filter(RunResult::ok).mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public String toString() {
        return Arrays.toString(runs.toArray());
    }
}
