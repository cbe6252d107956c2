package io.keyline.benchmark.kv;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd 3.4 benchmark's "txn-put": --total transactions with no compare, each putting --txn-ops
 * consecutive keys of the key space (txn i writes key indexes i*ops .. i*ops+ops-1, modulo the space).
 */
@Command(name = "txn-put", description = "Benchmark txn-put")
public final class TxnPutCommand extends BenchCommand {
    @Option(names = "--key-size", description = "Key size of txn put (default 8)")
    int keySize = 8;
    @Option(names = "--val-size", description = "Value size of txn put (default 8)")
    int valSize = 8;
    @Option(names = "--txn-ops", description = "Number of puts per txn (default 1)")
    int opsPerTxn = 1;
    @Option(names = "--rate", description = "Maximum txns per second (0 is no limit)")
    int rate;
    @Option(names = "--total", description = "Total number of txn requests (default 10000)")
    int total = 10000;
    @Option(names = "--key-space-size", description = "Maximum possible keys (default 1)")
    int keySpaceSize = 1;

    @Override
    protected void execute() throws Exception {
        require(keySpaceSize > 0, "expected positive --key-space-size, got (" + keySpaceSize + ")");
        require(opsPerTxn > 0, "expected positive --txn-ops, got (" + opsPerTxn + ")");
        require(opsPerTxn <= keySpaceSize, "expected --txn-ops no larger than --key-space-size, got txn-ops("
                + opsPerTxn + ") key-space-size(" + keySpaceSize + ")");
        ByteString value = ByteString.copyFrom(Keys.randomBytes(valSize));
        try (Clients clients = Clients.open(global().clientConfig())) {
            Report r = new Report("txn-put");
            try (ProgressBar bar = bar(total)) {
                ClosedLoop loop = new ClosedLoop(clients.clients(), total, RateLimiter.perSecond(rate), bar);
                r.start();
                loop.run((client, seq) -> {
                    TxnRequest.Builder txn = TxnRequest.newBuilder();
                    for (int j = 0; j < opsPerTxn; j++) {
                        long k = (seq * opsPerTxn + j) % keySpaceSize;
                        txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                                .setKey(ByteString.copyFrom(GoVarint.key(k, keySize))).setValue(value)));
                    }
                    return Unary.call(clients.kv(client)::txn, txn.build());
                }, seq -> r);
            }
            print("", r.finish());
            out().println();
        }
    }
}
