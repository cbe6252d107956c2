package io.keyline.benchmark.compare;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Keyline next to real etcd 3.4 on this host: for each topology (1 member, then 3), starts both
 * clusters with the same etcd flags, runs every workload on both in alternation for --rounds rounds
 * (the side that goes first swaps each round), and prints one table of Keyline/etcd ratios.
 * A Keyline cluster that does not come up is reported and its topology skipped.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run the same workloads against real etcd and Keyline and print Keyline/etcd ratios")
public final class CompareMain implements Callable<Integer> {
    @Option(names = "--quick", description = "small totals and one round, for smoke runs")
    boolean quick;
    @Option(names = "--rounds", description = "rounds of every workload on each side (default 3; 1 with --quick)")
    Integer rounds;
    @Option(names = "--warmup-rounds", description = "uncounted rounds of every workload on each side first (default 8; 0 with --quick)")
    Integer warmupRounds;
    @Option(names = "--members", split = ",", description = "topologies, as member counts (default 1,3)")
    List<Integer> members = List.of(1, 3);
    @Option(names = "--only", description = "run only workloads whose name contains this text")
    String only = "";
    @Option(names = "--etcd", description = "real etcd binary (default /usr/bin/etcd)")
    Path etcd = Paths.get("/usr/bin/etcd");
    @Option(names = "--keyline-jar", description = "Keyline node jar (default <repo>/gateway/target/keyline.jar)")
    Path keylineJar;
    @Option(names = "--keyline-java-opts", description = "JVM options each Keyline member adds to bin/keyline's (default -Xmx512m)")
    String keylineJavaOpts = "-Xmx512m";
    @Option(names = "--run-timeout", description = "seconds one benchmark run may take (default 300)")
    int runTimeout = 300;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CompareMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path jar = keylineJar != null ? keylineJar : repoHome().resolve("gateway/target/keyline.jar");
        if (!Files.isExecutable(etcd)) {
            throw new IllegalStateException("real etcd not found at " + etcd);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Keyline jar not found at " + jar + " (mvn -B -DskipTests install)");
        }
        Path launcher = repoHome().resolve("bin/keyline");
        Settings s = new Settings(etcd, launcher, jar, keylineJavaOpts.trim(), 90, runTimeout);
        int n = rounds != null ? rounds : quick ? 1 : 3;
        int warmup = warmupRounds != null ? warmupRounds : quick ? 0 : 8;
        List<Workload> workloads = Workload.all(quick).stream().filter(w -> w.name().contains(only)).toList();
        RatioTable table = new RatioTable();
        out.println("keyline-compare: " + workloads.size() + " workloads x " + n + " round(s) after " + warmup
                + " warm-up round(s), topologies " + members
                + (quick ? " (quick)" : "") + "; load average at start: " + loadAverage());
        for (int m : members) {
            topology(m, workloads, warmup, n, s, table);
        }
        out.println();
        out.println("load average at end: " + loadAverage() + " on " + Runtime.getRuntime().availableProcessors() + " cores");
        table.note("ratios are Keyline/etcd of the median over rounds; req/s above 1 and p50, p99, cpu-s, peakRSS below 1 favour Keyline");
        table.note("cpu-s is the servers' utime+stime over the run, peakRSS the sum over members of VmHWM during the run");
        table.print(out);
        return 0;
    }

    private void topology(int members, List<Workload> workloads, int warmup, int rounds, Settings s, RatioTable table)
            throws Exception {
        String topo = members + (members == 1 ? " member" : " members");
        out.println();
        out.println("== " + topo + ": starting etcd and Keyline");
        try (Cluster etcdCluster = Cluster.start(Cluster.Kind.ETCD, members, s)) {
            Cluster keyline;
            try {
                keyline = Cluster.start(Cluster.Kind.KEYLINE, members, s);
            } catch (Exception | AssertionError e) {
                String msg = "Keyline " + topo + " FAILED TO START, topology skipped: " + e.getMessage();
                out.println(msg);
                table.note(msg.lines().findFirst().orElse(msg));
                return;
            }
            if (members > 1) {
                out.println("leader: m" + (members - 1) + " on both sides; connection 0 (every one-client workload) goes to m0, a follower");
            }
            try (keyline; Runner runner = new Runner(s)) {
                List<Sample> etcdSamples = new ArrayList<>();
                List<Sample> keylineSamples = new ArrayList<>();
                for (int i = 0; i < workloads.size(); i++) {
                    etcdSamples.add(new Sample());
                    keylineSamples.add(new Sample());
                }
                // Warm-up rounds run the same workloads on both sides uncounted: the JVMs (Keyline's
                // and the load generator's) reach compiled code, as a long-running server has.
                for (int round = -warmup; round < rounds; round++) {
                    for (int i = 0; i < workloads.size(); i++) {
                        Workload w = workloads.get(i);
                        boolean etcdFirst = round % 2 == 0;
                        for (int side = 0; side < 2; side++) {
                            boolean isEtcd = (side == 0) == etcdFirst;
                            RunResult r = runner.run(w, isEtcd ? etcdCluster : keyline);
                            if (round >= 0) {
                                (isEtcd ? etcdSamples : keylineSamples).get(i).add(r);
                            }
                            out.printf(Locale.ROOT, "%s %-27s %-7s %s%n",
                                    round >= 0 ? "round " + (round + 1) : "warm-up", w.name(),
                                    isEtcd ? "etcd" : "keyline", describe(r));
                        }
                    }
                }
                for (int i = 0; i < workloads.size(); i++) {
                    table.add(new RatioTable.Row(topo, workloads.get(i).name(), etcdSamples.get(i), keylineSamples.get(i)));
                }
            }
        }
    }

    private static String describe(RunResult r) {
        if (!r.ok()) {
            return "ERROR " + r.error();
        }
        return String.format(Locale.ROOT, "%9.1f req/s  p50 %8.3f ms  p99 %8.3f ms  cpu %6.2f s  peakRSS %7.1f MiB",
                r.rps(), r.p50Ms(), r.p99Ms(), r.cpuSecs(), r.rssKb() / 1024.0);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** The repository: two levels above benchmarks/target/keyline-benchmark.jar, else the working directory. */
    private static Path repoHome() {
        try {
            Path jar = Paths.get(CompareMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = jar.getParent().getParent().getParent();
            if (Files.isDirectory(home.resolve("gateway"))) {
                return home;
            }
        } catch (Exception e) {
            // fall through
        }
        return Paths.get("").toAbsolutePath();
    }
}
