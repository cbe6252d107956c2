package io.keyline.etcdctl;

/** Hides what really differs from run to run: log timestamps, the Go client's random id, timings. */
final class Masks {
    private Masks() {}

    static String runToRun(String s) {
        return s.replaceAll("\"ts\":(\"[^\"]*\"|[0-9.]+)", "\"ts\":TS")
                .replaceAll("client-[0-9a-f-]{36}", "client-UUID")
                .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ([CWIN]) \\|", "DATE $1 |")
                .replaceAll("took = [0-9.µmsn]+", "took = TOOK")
                .replaceAll("\"took\":(\"[^\"]*\"|[0-9.e-]+)", "\"took\":TOOK")
                .replaceAll("\"Took\" : [0-9.µmsn]+", "\"Took\" : TOOK")
                .replaceAll("\\| [0-9.µmsn]+ \\|", "| TOOK |");
    }
}
