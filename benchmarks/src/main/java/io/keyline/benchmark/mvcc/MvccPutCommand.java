package io.keyline.benchmark.mvcc;

import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.report.Report;
import io.keyline.benchmark.report.Stats;
import io.keyline.keyspace.mvcc.MvccStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * etcd benchmark's "mvcc put": --total puts (or transactions of --txn-ops puts with --txn) of random
 * keys and values straight into a fresh MvccStore. Prints the per-operation report first, then the
 * per-request one, as etcd's weighted report does.
 */
@Command(name = "put", description = "Benchmark put performance of storage")
public class MvccPutCommand extends BenchCommand {
    @ParentCommand
    private Object parent;

    @Option(names = "--total", description = "a total number of keys to put (default 100)")
    int total = 100;
    @Option(names = "--key-size", description = "a size of key (Byte) (default 64)")
    int keySize = 64;
    @Option(names = "--value-size", description = "a size of value (Byte) (default 64)")
    int valueSize = 64;
    @Option(names = "--txn", description = "put a key in transaction or not")
    boolean txn;
    @Option(names = "--txn-ops", description = "a number of keys to put per transaction (default 1)")
    int txnOps = 1;

    protected int batchLimit() {
        return ((MvccCommand) parent).batchLimit;
    }

    protected int batchInterval() {
        return ((MvccCommand) parent).batchInterval;
    }

    @Override
    protected void execute() throws Exception {
        require(total > 0 && txnOps > 0, "--total and --txn-ops must be positive");
        int n = total * (txn ? txnOps : 1);
        byte[][] keys = MvccPutRun.randomBytes(keySize, n);
        byte[][] vals = MvccPutRun.randomBytes(valueSize, n);
        Path dir = Files.createTempDirectory("mvcc-bench");
        try (MvccStore store = MvccStore.open(dir)) {
            Report weighted = new Report("mvcc-put");
            Report base = new Report("mvcc-put-requests");
            new MvccPutRun(store, batchLimit(), batchInterval()).run(total, txn, txnOps, keys, vals, weighted, base);
            Stats perOp = weighted.finish();
            Stats perRequest = base.finish();
            print("", perOp);
            print("", perRequest);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** "mvcc-put": the same as "mvcc put", with the group's batch flags on itself. */
    @Command(name = "mvcc-put", description = "Benchmark put performance of storage (same as \"mvcc put\")")
    public static final class Shortcut extends MvccPutCommand {
        @Option(names = "--batch-interval", description = "Interval of batching (milliseconds) (default 100)")
        int batchInterval = 100;
        @Option(names = "--batch-limit", description = "A limit of batched transaction (default 10000)")
        int batchLimit = 10000;

        @Override
        protected int batchLimit() {
            return batchLimit;
        }

        @Override
        protected int batchInterval() {
            return batchInterval;
        }
    }
}
