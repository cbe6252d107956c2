package io.keyline.etcdctl.check;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.api.etcdserverpb.DefragmentRequest;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.api.etcdserverpb.KVGrpc;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.kv.KeyRanges;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** etcdctl check perf|datascale: a timed write load against the cluster, judged as etcdctl judges it. */
@Command(name = "check", description = "commands for checking properties of the etcd cluster",
        customSynopsis = "check <subcommand>")
public final class CheckCommand implements Runnable {
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);

    private CheckCommand() {}

    public static CommandLine group(Ctl ctl) {
        CommandLine g = new CommandLine(new CheckCommand());
        g.addSubcommand(new Perf(ctl));
        g.addSubcommand(new Datascale(ctl));
        return g;
    }

    @Override
    public void run() {}

    /** The flags both checks take. */
    abstract static class Check implements Runnable {
        final Ctl ctl;
        private final Function<String, LoadModel> models;

        @Option(names = "--auto-compact", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Compact storage with last revision after test is finished.")
        boolean autoCompact;

        @Option(names = "--auto-defrag", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Defragment storage after test is finished.")
        boolean autoDefrag;

        Check(Ctl ctl, Function<String, LoadModel> models) {
            this.ctl = ctl;
            this.models = models;
        }

        /** The --load and --prefix flags, which each check declares with its own defaults and help. */
        abstract String[] loadAndPrefix();

        /** The check itself, once the prefix was found empty; the clients are closed afterwards. */
        abstract void check(List<Connection> clients, LoadModel model) throws InterruptedException;

        @Override
        public void run() {
            String[] flags = loadAndPrefix();
            LoadModel model = models.apply(flags[0]);
            List<Connection> clients = connect(model.clients());
            try {
                requireEmpty(clients.get(0), flags[1]);
                check(clients, model);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CtlException.of(CtlException.EXIT_INTERRUPTED, "interrupted");
            } finally {
                clients.forEach(Connection::close);
            }
        }

        List<Connection> connect(int n) {
            List<Connection> clients = new ArrayList<>();
            clients.add(ctl.connect());
            while (clients.size() < n) {
                clients.add(Connection.toCluster(ctl.clientConfig(), ctl.global().endpoints()));
            }
            return clients;
        }

        /** etcdctl refuses to run over keys it did not write: the prefix must be empty. */
        void requireEmpty(Connection c, String prefix) {
            ByteString key = ByteString.copyFromUtf8(prefix);
            RangeRequest get = RangeRequest.newBuilder().setKey(key).setRangeEnd(KeyRanges.prefixEnd(key)).setLimit(1).build();
            if (c.call(() -> c.kv().range(get)).getKvsCount() > 0) {
                throw CtlException.of(CtlException.EXIT_INVALID_INPUT, "prefix \"" + prefix
                        + "\" has keys. Delete with etcdctl del --prefix " + prefix + " first");
            }
        }

        /** Deletes what the check wrote, then compacts and defragments if asked. */
        void cleanUp(Connection c, String prefix) {
            ByteString key = ByteString.copyFromUtf8(prefix);
            DeleteRangeRequest del = DeleteRangeRequest.newBuilder().setKey(key).setRangeEnd(KeyRanges.prefixEnd(key)).build();
            DeleteRangeResponse deleted = c.call(() -> withCleanupDeadline(c).deleteRange(del));
            PrintStream out = ctl.out();
            if (autoCompact) {
                long rev = deleted.getHeader().getRevision();
                out.println("Compacting with revision " + rev);
                c.call(() -> withCleanupDeadline(c).compact(
                        CompactionRequest.newBuilder().setRevision(rev).setPhysical(true).build()));
                out.println("Compacted with revision " + rev);
            }
            if (autoDefrag) {
                for (String ep : ctl.global().endpoints()) {
                    out.println("Defragmenting \"" + ep + "\"");
                    try (Connection m = Connection.toMember(ctl.clientConfig(), ep)) {
                        m.call(() -> m.maintenance(CLEANUP_TIMEOUT).defragment(DefragmentRequest.getDefaultInstance()));
                    }
                    out.println("Defragmented \"" + ep + "\"");
                }
            }
        }

        private static KVGrpc.KVBlockingStub withCleanupDeadline(Connection c) {
            return KVGrpc.newBlockingStub(c.channel()).withWaitForReady()
                    .withDeadlineAfter(CLEANUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        static boolean printErrors(PrintStream out, Map<String, Integer> errors) {
            if (errors.isEmpty()) {
                return false;
            }
            out.println("FAIL: too many errors");
            errors.forEach((error, count) -> out.println("FAIL: ERROR(" + error + ") -> " + count));
            return true;
        }
    }

    @Command(name = "perf", description = "Check the performance of the etcd cluster", customSynopsis = "perf [options]")
    static final class Perf extends Check {
        @Option(names = "--load", defaultValue = "s", description = "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)")
        String load;

        @Option(names = "--prefix", defaultValue = "/etcdctl-check-perf/", description = "The prefix for writing the performance check's keys.")
        String prefix;

        Perf(Ctl ctl) {
            super(ctl, LoadModel::perf);
        }

        @Override
        String[] loadAndPrefix() {
            return new String[] {load, prefix};
        }

        @Override
        void check(List<Connection> clients, LoadModel model) throws InterruptedException {
            PutReport report;
            try (ProgressBar bar = new ProgressBar(ctl.out(), model.durationSeconds())) {
                Thread seconds = secondsTicker(bar, model.durationSeconds());
                report = new PutLoad(clients, prefix, 256, 1024).runFor(model.durationSeconds(), model.limit(), () -> { });
                seconds.join();
            }
            cleanUp(clients.get(0), prefix);
            judge(report, model);
        }

        /** The bar counts the run's seconds, as etcdctl's does, not its requests. */
        private static Thread secondsTicker(ProgressBar bar, int seconds) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < seconds; i++) {
                        Thread.sleep(1000);
                        bar.add(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "check-progress");
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void judge(PutReport report, LoadModel model) {
            PrintStream out = ctl.out();
            boolean ok = !printErrors(out, report.errors());
            double rps = report.requestsPerSecond();
            if (rps / model.limit() <= 0.9) {
                out.printf("FAIL: Throughput too low: %d writes/s%n", (int) rps + 1);
                ok = false;
            } else {
                out.printf("PASS: Throughput is %d writes/s%n", (int) rps + 1);
            }
            if (report.slowest() > 0.5) {
                out.printf("Slowest request took too long: %fs%n", report.slowest());
                ok = false;
            } else {
                out.printf("PASS: Slowest request took %fs%n", report.slowest());
            }
            if (report.stddev() > 0.1) {
                out.printf("Stddev too high: %fs%n", report.stddev());
                ok = false;
            } else {
                out.printf("PASS: Stddev is %fs%n", report.stddev());
            }
            if (!ok) {
                out.println("FAIL");
                throw CtlException.silent(CtlException.EXIT_ERROR);
            }
            out.println("PASS");
        }
    }

    @Command(name = "datascale", description = "Check the memory usage of holding data for different workloads on a given server endpoint.",
            customSynopsis = "datascale [options]",
            footer = "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.")
    static final class Datascale extends Check {
        @Option(names = "--load", defaultValue = "s", description = "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)")
        String load;

        @Option(names = "--prefix", defaultValue = "/etcdctl-check-datascale/", description = "The prefix for writing the datascale check's keys.")
        String prefix;

        Datascale(Ctl ctl) {
            super(ctl, LoadModel::datascale);
        }

        @Override
        String[] loadAndPrefix() {
            return new String[] {load, prefix};
        }

        @Override
        void check(List<Connection> clients, LoadModel model) throws InterruptedException {
            PrintStream out = ctl.out();
            String endpoint = ctl.global().endpoints().get(0);
            double before = ResidentMemory.of(endpoint, out);
            if (before == 0) {
                out.println("FAIL: Could not read process_resident_memory_bytes before the put operations.");
                throw CtlException.silent(CtlException.EXIT_ERROR);
            }
            out.printf("Start data scale check for work load [%d key-value pairs, %d bytes per key-value, %d concurrent clients].%n",
                    model.limit(), model.kvSize(), model.clients());
            PutReport report;
            try (ProgressBar bar = new ProgressBar(out, model.limit())) {
                report = new PutLoad(clients, prefix, model.kvSize() / 2, model.kvSize() / 2)
                        .runCount(model.limit(), () -> bar.add(1));
            }
            double after = ResidentMemory.of(endpoint, out);
            if (after == 0) {
                out.println("FAIL: Could not read process_resident_memory_bytes after the put operations.");
                throw CtlException.silent(CtlException.EXIT_ERROR);
            }
            cleanUp(clients.get(0), prefix);
            if (printErrors(out, report.errors())) {
                throw CtlException.silent(CtlException.EXIT_ERROR);
            }
            out.printf("PASS: Approximate system memory used : %.2f MB.%n", (after - before) / (1024 * 1024));
        }
    }
}
