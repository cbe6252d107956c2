package io.keyline.etcdctl.kv;

import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.TxnResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * etcdctl txn: reads compares, then success requests, then failure requests from stdin, each
 * block ended by an empty line; input that ends before the third empty line is an error (EOF).
 */
@Command(name = "txn", description = "Txn processes all the requests in one transaction",
        customSynopsis = "txn [options]")
public final class TxnCommand implements Runnable {
    private final Ctl ctl;

    @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Input transaction in interactive mode")
    boolean interactive;

    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    public TxnCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Override
    public void run() {
        if (!args.isEmpty()) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "txn command does not accept argument");
        }
        try (Connection c = ctl.connect()) {
            Output o = ctl.output();
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            InputStream in = ctl.in();
            prompt(o, "compares:");
            for (String line : block(in)) {
                txn.addCompare(TxnParser.compare(line));
            }
            prompt(o, "success requests (get, put, del):");
            for (String line : block(in)) {
                txn.addSuccess(TxnParser.request(line, ctl.err()));
            }
            prompt(o, "failure requests (get, put, del):");
            for (String line : block(in)) {
                txn.addFailure(TxnParser.request(line, ctl.err()));
            }
            TxnRequest req = txn.build();
            // etcdctl sends its txn without a deadline.
            TxnResponse resp;
            try {
                resp = io.keyline.api.etcdserverpb.KVGrpc.newBlockingStub(c.channel()).withWaitForReady().txn(req);
            } catch (io.grpc.StatusRuntimeException e) {
                throw CtlException.of(CtlException.EXIT_ERROR, c.failed(e));
            }
            new KvPrinter(o, false).txn(resp);
        }
    }

    private void prompt(Output o, String s) {
        if (interactive) {
            o.println(s);
        }
    }

    /** Trimmed lines up to the next empty one. */
    private static List<String> block(InputStream in) {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in).trim();
            if (line.isEmpty()) {
                return lines;
            }
            lines.add(line);
        }
    }

    private static String readLine(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    return b.toString(StandardCharsets.UTF_8);
                }
                b.write(c);
            }
        } catch (IOException e) {
            throw CtlException.of(CtlException.EXIT_INVALID_INPUT, e.getMessage());
        }
        throw CtlException.of(CtlException.EXIT_INVALID_INPUT, "EOF");
    }
}
