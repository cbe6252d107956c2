package io.keyline.benchmark.kv;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.client.Clients;
import io.keyline.benchmark.client.GoVarint;
import io.keyline.benchmark.client.Unary;
import io.keyline.benchmark.load.ClosedLoop;
import io.keyline.benchmark.load.RateLimiter;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd benchmark's "txn-mixed": single-op transactions, each a read (a prefix range from the empty
 * key, to --end-key if given, at most --limit keys) with probability rw-ratio/(1+rw-ratio), else a
 * put of key index i % key-space-size. Reads and writes are reported separately.
 */
@Command(name = "txn-mixed", description = "Benchmark a mixed load of txn-put & txn-range.")
public final class TxnMixedCommand extends BenchCommand {
    @Option(names = "--key-size", description = "Key size of mixed txn (default 8)")
    int keySize = 8;
    @Option(names = "--val-size", description = "Value size of mixed txn (default 8)")
    int valSize = 8;
    @Option(names = "--rate", description = "Maximum txns per second (0 is no limit)")
    int rate;
    @Option(names = "--total", description = "Total number of txn requests (default 10000)")
    int total = 10000;
    @Option(names = "--end-key", description = "Read operation range end key. By default, we do full range query with the default limit of 1000.")
    String endKey = "";
    @Option(names = "--limit", description = "Read operation range result limit (default 1000)")
    long limit = 1000;
    @Option(names = "--key-space-size", description = "Maximum possible keys (default 1)")
    int keySpaceSize = 1;
    @Option(names = "--consistency", description = "Linearizable(l) or Serializable(s) (default \"l\")")
    String consistency = "l";
    @Option(names = "--rw-ratio", description = "Read/write ops ratio (default 1)")
    double rwRatio = 1;

    @Override
    protected void execute() throws Exception {
        require(keySpaceSize > 0, "expected positive --key-space-size, got (" + keySpaceSize + ")");
        boolean serializable = Consistency.serializable(consistency);
        out().println(serializable ? "bench with serializable range" : "bench with linearizable range");
        ByteString value = ByteString.copyFrom(Keys.randomBytes(valSize));
        // a prefix read of the empty key is the whole keyspace; --end-key bounds it as the flag's text says
        // (etcd applies WithPrefix after WithRange, so its end key is in fact ignored)
        RangeRequest read = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
                .setRangeEnd(endKey.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : ByteString.copyFromUtf8(endKey))
                .setLimit(limit).setSerializable(serializable).build();
        BitSet reads = new BitSet(total);
        double p = rwRatio / (1 + rwRatio);
        for (int i = 0; i < total; i++) {
            if (ThreadLocalRandom.current().nextDouble() < p) {
                reads.set(i);
            }
        }
        try (Clients clients = Clients.open(global().clientConfig())) {
            Report readReport = new Report("txn-mixed-read");
            Report writeReport = new Report("txn-mixed-write");
            try (ProgressBar bar = bar(total)) {
                ClosedLoop loop = new ClosedLoop(clients.clients(), total, RateLimiter.perSecond(rate), bar);
                readReport.start();
                writeReport.start();
                loop.run((client, seq) -> {
                    RequestOp op = reads.get((int) seq)
                            ? RequestOp.newBuilder().setRequestRange(read).build()
                            : RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                                    .setKey(ByteString.copyFrom(GoVarint.key(seq % keySpaceSize, keySize)))
                                    .setValue(value)).build();
                    return Unary.call(clients.kv(client)::txn, TxnRequest.newBuilder().addSuccess(op).build());
                }, seq -> reads.get((int) seq) ? readReport : writeReport);
            }
            int nReads = reads.cardinality();
            print("Total Read Ops: " + nReads + "\nDetails:", readReport.finish());
            out().println();
            print("Total Write Ops: " + (total - nReads) + "\nDetails:", writeReport.finish());
            out().println();
        }
    }
}
