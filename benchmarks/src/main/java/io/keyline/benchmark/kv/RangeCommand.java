package io.keyline.benchmark.kv;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.benchmark.BenchCommand;
import io.keyline.benchmark.client.Clients;
import io.keyline.benchmark.client.Unary;
import io.keyline.benchmark.load.ClosedLoop;
import io.keyline.benchmark.load.RateLimiter;
import io.keyline.benchmark.report.ProgressBar;
import io.keyline.benchmark.report.Report;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcd benchmark's "range key [end-range]": --total identical range requests, linearizable or serializable. */
@Command(name = "range", description = "Benchmark range")
public final class RangeCommand extends BenchCommand {
    @Parameters(arity = "1..2", paramLabel = "key [end-range]")
    List<String> args;
    @Option(names = "--rate", description = "Maximum range requests per second (0 is no limit)")
    int rate;
    @Option(names = "--total", description = "Total number of range requests (default 10000)")
    int total = 10000;
    @Option(names = "--consistency", description = "Linearizable(l) or Serializable(s) (default \"l\")")
    String consistency = "l";

    @Override
    protected void execute() throws Exception {
        boolean serializable = Consistency.serializable(consistency);
        out().println(serializable ? "bench with serializable range" : "bench with linearizable range");
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(args.get(0)))
                .setSerializable(serializable);
        if (args.size() == 2) {
            b.setRangeEnd(ByteString.copyFromUtf8(args.get(1)));
        }
        RangeRequest req = b.build();
        try (Clients clients = Clients.open(global().clientConfig())) {
            Report r = new Report("range");
            try (ProgressBar bar = bar(total)) {
                ClosedLoop loop = new ClosedLoop(clients.clients(), total, RateLimiter.perSecond(rate), bar);
                r.start();
                loop.run((client, seq) -> Unary.call(clients.kv(client)::range, req), seq -> r);
            }
            print("", r.finish());
        }
    }
}
