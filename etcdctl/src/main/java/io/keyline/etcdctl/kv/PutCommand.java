package io.keyline.etcdctl.kv;

import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.GoParse;
import io.keyline.etcdctl.client.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcdctl put: one key, its value from the command line or stdin. */
@Command(name = "put", description = "Puts the given key into the store",
        customSynopsis = "put [options] <key> <value> (<value> can also be given from stdin)",
        footer = PutCommand.LONG)
public final class PutCommand implements Runnable {
    static final String LONG = """

            Puts the given key into the store.

            When <value> begins with '-', <value> is interpreted as a flag.
            Insert '--' for workaround:

            $ put <key> -- <value>
            $ put -- <key> <value>

            If <value> isn't given as a command line argument and '--ignore-value' is not specified,
            this command tries to read the value from standard input.

            If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
            this command tries to read the value from standard input.

            For example,
            $ cat file | put <key>
            will store the content of the file to <key>.
            """;

    private final Ctl ctl;

    @Option(names = "--lease", defaultValue = "0", description = "lease ID (in hexadecimal) to attach to the key")
    String lease;

    @Option(names = "--prev-kv", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "return the previous key-value pair before modification")
    boolean prevKv;

    @Option(names = "--ignore-value", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "updates the key using its current value")
    boolean ignoreValue;

    @Option(names = "--ignore-lease", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "updates the key using its current lease")
    boolean ignoreLease;

    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    public PutCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Override
    public void run() {
        PutRequest req = toRequest(ctl.in());
        PutResponse resp;
        try (Connection c = ctl.connect()) {
            resp = c.call(() -> c.kv().put(req));
        }
        new KvPrinter(ctl.output(), false).put(resp);
    }

    /** The request for these flags and arguments; a missing value is read from stdin. */
    PutRequest toRequest(InputStream stdin) {
        String usage = "put command needs 1 argument and input from stdin or 2 arguments";
        if (args.isEmpty()) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, usage);
        }
        if (ignoreValue && args.size() > 1) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "put command needs only 1 argument when 'ignore-value' is set");
        }
        PutRequest.Builder b = PutRequest.newBuilder().setKey(KeyRanges.bytes(args.get(0)));
        if (!ignoreValue) {
            if (args.size() > 1) {
                b.setValue(KeyRanges.bytes(args.get(1)));
            } else {
                byte[] in = readAll(stdin);
                if (in.length == 0) {
                    throw CtlException.of(CtlException.EXIT_BAD_ARGS, usage);
                }
                b.setValue(com.google.protobuf.ByteString.copyFrom(in));
            }
        }
        long id;
        try {
            id = GoParse.parseInt(lease, 16);
        } catch (IllegalArgumentException e) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "bad lease ID (" + e.getMessage() + "), expecting ID in Hex");
        }
        return b.setLease(id).setPrevKv(prevKv).setIgnoreValue(ignoreValue).setIgnoreLease(ignoreLease).build();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
