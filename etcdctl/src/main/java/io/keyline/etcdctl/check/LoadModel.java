package io.keyline.etcdctl.check;

import io.keyline.etcdctl.CtlException;
import java.util.Map;

/** etcdctl check's workload models: the --load names it accepts and what each one means. */
record LoadModel(int limit, int clients, int durationSeconds, int kvSize) {
    private static final Map<String, String> ALIASES = Map.of("s", "s", "small", "s", "m", "m", "medium", "m",
            "l", "l", "large", "l", "xl", "xl", "xLarge", "xl");

    /** check perf: puts per second, clients, seconds. */
    private static final Map<String, LoadModel> PERF = Map.of(
            "s", new LoadModel(150, 50, 60, 0),
            "m", new LoadModel(1000, 200, 60, 0),
            "l", new LoadModel(8000, 500, 60, 0),
            "xl", new LoadModel(15000, 1000, 60, 0));

    /** check datascale: how many puts, bytes per key-value, clients. */
    private static final Map<String, LoadModel> DATASCALE = Map.of(
            "s", new LoadModel(10_000, 50, 0, 1024),
            "m", new LoadModel(100_000, 200, 0, 1024),
            "l", new LoadModel(1_000_000, 500, 0, 1024),
            "xl", new LoadModel(3_000_000, 1000, 0, 1024));

    static LoadModel perf(String load) {
        return PERF.get(canonical(load));
    }

    static LoadModel datascale(String load) {
        return DATASCALE.get(canonical(load));
    }

    private static String canonical(String load) {
        String model = ALIASES.get(load);
        if (model == null) {
            throw CtlException.of(CtlException.EXIT_BAD_FEATURE, "unknown load option " + load);
        }
        return model;
    }
}
