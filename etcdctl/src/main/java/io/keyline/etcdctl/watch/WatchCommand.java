package io.keyline.etcdctl.watch;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.Flags;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * etcdctl watch: prints events until the server cancels the watch. With -i, reads "watch ..."
 * and "progress" lines from stdin instead; after "--", a command runs once per event.
 */
@Command(name = "watch", description = "Watches events stream on keys or prefixes",
        customSynopsis = "watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]")
public final class WatchCommand implements Runnable {
    private final Ctl ctl;

    @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Interactive mode")
    boolean interactive;

    @Option(names = "--prefix", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Watch on a prefix if prefix is set")
    boolean prefix;

    @Option(names = "--prev-kv", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "get the previous key-value pair before the event happens")
    boolean prevKv;

    private long rev;

    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    public WatchCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Option(names = "--rev", defaultValue = "0", paramLabel = "int64", description = "Revision to start watching")
    void rev(String v) {
        rev = Flags.int64("rev", v);
    }

    @Override
    public void run() {
        String envKey = ctl.env("ETCDCTL_WATCH_KEY");
        String envRange = ctl.env("ETCDCTL_WATCH_RANGE_END");
        if (envKey.isEmpty() && !envRange.isEmpty()) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS,
                    "ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=" + io.keyline.etcdctl.output.GoText.quote(envRange));
        }
        if (interactive) {
            interactive(envKey, envRange);
            return;
        }
        WatchArgs wa = WatchArgs.parse(ctl.rawArgs(), args, envKey, envRange);
        try (Connection c = ctl.connect()) {
            Output o = ctl.output();
            WatchCreateRequest req = request(wa.keys(), prefix, rev, prevKv);
            WatchSession s = new WatchSession(c, o, ctl.environment());
            s.create(req, wa.exec());
            s.awaitClosed();
            s.close();
        }
        throw CtlException.of(CtlException.EXIT_INTERRUPTED, "watch is canceled by the server");
    }

    private void interactive(String envKey, String envRange) {
        try (Connection c = ctl.connect()) {
            Output o = ctl.output();
            WatchSession s = new WatchSession(c, o, ctl.environment());
            while (true) {
                String l = readLine(ctl.in());
                List<String> line = io.keyline.etcdctl.kv.Argify.split(l);
                if (line.isEmpty()) {
                    o.errln("Invalid command: " + l + " (watch and progress supported)");
                    continue;
                }
                switch (line.get(0)) {
                    case "watch" -> {
                        if (line.size() < 2 && envKey.isEmpty()) {
                            o.errln("Invalid command " + l + " (command type or key is not provided)");
                            continue;
                        }
                        Interactive w = Interactive.parse(line.subList(1, line.size()), envKey, envRange);
                        try {
                            s.create(request(w.keys, w.prefix, w.rev, w.prevKv), w.exec);
                        } catch (CtlException e) {
                            o.errln("Invalid command " + l + " (" + e.getMessage() + ")");
                        }
                    }
                    case "progress" -> s.progress();
                    default -> o.errln("Invalid command " + l + " (only support watch)");
                }
            }
        }
    }

    static WatchCreateRequest request(List<String> keys, boolean prefix, long rev, boolean prevKv) {
        if (keys.isEmpty()) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, WatchArgs.BAD_NUM);
        }
        ByteString key = ByteString.copyFromUtf8(keys.get(0));
        WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder().setKey(key).setStartRevision(rev).setPrevKv(prevKv);
        if (keys.size() == 2) {
            if (prefix) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "`range_end` and `--prefix` are mutually exclusive");
            }
            b.setRangeEnd(ByteString.copyFromUtf8(keys.get(1)));
        }
        if (prefix) {
            b.setRangeEnd(key.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : prefixEnd(key));
        }
        return b.build();
    }

    private static ByteString prefixEnd(ByteString key) {
        byte[] end = key.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
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
            throw CtlException.of(CtlException.EXIT_INVALID_INPUT, "Error reading watch request line: " + e.getMessage());
        }
        throw CtlException.of(CtlException.EXIT_INVALID_INPUT, "Error reading watch request line: EOF");
    }

    /** One "watch ..." line of interactive mode: its own flags, keys and "--" command. */
    @Command(name = "watch")
    static final class Interactive {
        @Option(names = "--prefix", arity = "0..1", fallbackValue = "true", defaultValue = "false")
        boolean prefix;
        @Option(names = "--prev-kv", arity = "0..1", fallbackValue = "true", defaultValue = "false")
        boolean prevKv;
        @Option(names = "--rev", defaultValue = "0")
        long rev;
        @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true", defaultValue = "false")
        boolean interactive;
        @Parameters(arity = "0..*")
        List<String> keys = new ArrayList<>();
        List<String> exec = List.of();

        static Interactive parse(List<String> words, String envKey, String envRange) {
            int sep = words.indexOf("--");
            if (sep >= 0 && sep == words.size() - 1) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, WatchArgs.SEPARATOR);
            }
            Interactive w = new Interactive();
            List<String> flagPart = sep >= 0 ? words.subList(0, sep) : words;
            try {
                new CommandLine(w).parseArgs(flagPart.toArray(new String[0]));
            } catch (CommandLine.ParameterException e) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, e.getMessage());
            }
            if (sep < 0 && envKey.isEmpty() && w.keys.isEmpty()) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, WatchArgs.BAD_NUM);
            }
            if (sep < 0 && !w.keys.isEmpty() && !envKey.isEmpty()) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, WatchArgs.CONFLICT_ENV);
            }
            if (sep >= 0) {
                w.exec = new ArrayList<>(words.subList(sep + 1, words.size()));
            }
            if (!envKey.isEmpty()) {
                List<String> k = new ArrayList<>(List.of(envKey));
                if (!envRange.isEmpty()) {
                    k.add(envRange);
                }
                k.addAll(w.keys);
                w.keys = k;
            }
            return w;
        }
    }
}
