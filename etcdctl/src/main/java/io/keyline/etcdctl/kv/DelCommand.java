package io.keyline.etcdctl.kv;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcdctl del: a key or a range of keys. */
@Command(name = "del", description = "Removes the specified key or range of keys [key, range_end)",
        customSynopsis = "del [options] <key> [range_end]")
public final class DelCommand implements Runnable {
    private final Ctl ctl;

    @Option(names = "--prefix", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "delete keys with matching prefix")
    boolean prefix;

    @Option(names = "--prev-kv", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "return deleted key-value pairs")
    boolean prevKv;

    @Option(names = "--from-key", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "delete keys that are greater than or equal to the given key using byte compare")
    boolean fromKey;

    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    public DelCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Override
    public void run() {
        DeleteRangeRequest req = toRequest();
        DeleteRangeResponse resp;
        try (Connection c = ctl.connect()) {
            resp = c.call(() -> c.kv().deleteRange(req));
        }
        new KvPrinter(ctl.output(), false).del(resp);
    }

    DeleteRangeRequest toRequest() {
        if (args.isEmpty() || args.size() > 2) {
            throw bad("del command needs one argument as key and an optional argument as range_end");
        }
        if (prefix && fromKey) {
            throw bad("`--prefix` and `--from-key` cannot be set at the same time, choose one");
        }
        DeleteRangeRequest.Builder b = DeleteRangeRequest.newBuilder();
        ByteString key = KeyRanges.bytes(args.get(0));
        if (args.size() > 1) {
            if (prefix || fromKey) {
                throw bad("too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
            }
            b.setRangeEnd(KeyRanges.bytes(args.get(1)));
        }
        KeyRanges.Span span = KeyRanges.span(key, prefix, fromKey);
        key = span.key();
        if (span.end() != null) {
            b.setRangeEnd(span.end());
        }
        return b.setKey(key).setPrevKv(prevKv).build();
    }

    private static CtlException bad(String msg) {
        return CtlException.of(CtlException.EXIT_BAD_ARGS, msg);
    }
}
