package io.keyline.etcdctl.kv;

import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.Flags;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Format;
import io.keyline.etcdctl.output.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcdctl get: a key or a range of keys. */
@Command(name = "get", description = "Gets the key or a range of keys",
        customSynopsis = "get [options] <key> [range_end]")
public final class GetCommand implements Runnable {
    private final Ctl ctl;
    private final RangeOptions opts = new RangeOptions();
    private boolean printValueOnly;

    @Parameters(arity = "0..*")
    private List<String> args = new ArrayList<>();

    public GetCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Option(names = "--consistency", defaultValue = "l", description = "Linearizable(l) or Serializable(s)")
    void consistency(String v) {
        opts.consistency = v;
    }

    @Option(names = "--order", defaultValue = "", description = "Order of results; ASCEND or DESCEND (ASCEND by default)")
    void order(String v) {
        opts.order = v;
    }

    @Option(names = "--sort-by", defaultValue = "", description = "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION")
    void sortBy(String v) {
        opts.sortBy = v;
    }

    @Option(names = "--limit", defaultValue = "0", paramLabel = "int64", description = "Maximum number of results")
    void limit(String v) {
        opts.limit = Flags.int64("limit", v);
    }

    @Option(names = "--prefix", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Get keys with matching prefix")
    void prefix(boolean v) {
        opts.prefix = v;
    }

    @Option(names = "--from-key", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Get keys that are greater than or equal to the given key using byte compare")
    void fromKey(boolean v) {
        opts.fromKey = v;
    }

    @Option(names = "--rev", defaultValue = "0", paramLabel = "int64", description = "Specify the kv revision")
    void rev(String v) {
        opts.rev = Flags.int64("rev", v);
    }

    @Option(names = "--keys-only", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Get only the keys")
    void keysOnly(boolean v) {
        opts.keysOnly = v;
    }

    @Option(names = "--count-only", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Get only the count")
    void countOnly(boolean v) {
        opts.countOnly = v;
    }

    @Option(names = "--print-value-only", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Only write values when using the \"simple\" output format")
    void printValueOnly(boolean v) {
        printValueOnly = v;
    }

    @Option(names = "--min-mod-rev", defaultValue = "0", paramLabel = "int64", description = "Minimum modify revision")
    void minModRev(String v) {
        opts.minModRev = Flags.int64("min-mod-rev", v);
    }

    @Option(names = "--max-mod-rev", defaultValue = "0", paramLabel = "int64", description = "Maximum modify revision")
    void maxModRev(String v) {
        opts.maxModRev = Flags.int64("max-mod-rev", v);
    }

    @Option(names = "--min-create-rev", defaultValue = "0", paramLabel = "int64", description = "Minimum create revision")
    void minCreateRev(String v) {
        opts.minCreateRev = Flags.int64("min-create-rev", v);
    }

    @Option(names = "--max-create-rev", defaultValue = "0", paramLabel = "int64", description = "Maximum create revision")
    void maxCreateRev(String v) {
        opts.maxCreateRev = Flags.int64("max-create-rev", v);
    }

    @Override
    public void run() {
        RangeRequest req = opts.toRequest(args);
        RangeResponse resp;
        try (Connection c = ctl.connect()) {
            resp = c.call(() -> c.kv().range(req));
        }
        Output o = ctl.output();
        if (opts.countOnly && o.format() != Format.FIELDS) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "--count-only is only for `--write-out=fields`");
        }
        if (printValueOnly && o.format() != Format.SIMPLE) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "print-value-only is only for `--write-out=simple`");
        }
        new KvPrinter(o, printValueOnly).get(resp);
    }
}
