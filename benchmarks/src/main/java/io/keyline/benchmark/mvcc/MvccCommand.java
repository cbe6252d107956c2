package io.keyline.benchmark.mvcc;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * etcd benchmark's "mvcc" group: benchmarks of the storage layer alone, here Keyline's MvccStore
 * over RocksDB in a temporary directory, with no Raft and no network.
 */
@Command(name = "mvcc", description = "Benchmark mvcc", subcommands = MvccPutCommand.class,
        footer = "storage subcommand is a set of various benchmark tools for MVCC storage subsystem of Keyline (MvccStore).")
public final class MvccCommand implements Runnable {
    @Option(names = "--batch-interval", scope = ScopeType.INHERIT, description = "Interval of batching (milliseconds) (default 100)")
    int batchInterval = 100;
    @Option(names = "--batch-limit", scope = ScopeType.INHERIT, description = "A limit of batched transaction (default 10000)")
    int batchLimit = 10000;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
