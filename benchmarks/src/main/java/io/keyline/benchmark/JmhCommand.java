package io.keyline.benchmark;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * Not an etcd command: runs the JMH micro-benchmarks of Keyline's keyspace (io.keyline.benchmark.jmh),
 * passing every argument to JMH ("jmh -h" for its options, "jmh -l" to list, "jmh MvccStoreBench.put").
 */
@Command(name = "jmh", description = "Run the JMH micro-benchmarks of Keyline's MvccStore (arguments go to JMH)")
public final class JmhCommand extends BenchCommand {
    @Unmatched
    private List<String> unmatched = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "jmh-args")
    private List<String> args = new ArrayList<>();

    @Override
    protected void execute() throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(unmatched);
        runJmh(all.toArray(String[]::new));
    }

    static void runJmh(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
