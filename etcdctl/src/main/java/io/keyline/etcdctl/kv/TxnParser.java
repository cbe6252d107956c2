package io.keyline.etcdctl.kv;

import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.GoParse;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * etcdctl's txn input language. Compares: {@code target("key") op "value"} where target is
 * ver|version, c|create, m|mod, val|value or lease and op is = == != &lt; &gt;. Requests: a get,
 * put or del command line with that command's flags.
 */
final class TxnParser {
    // etcdctl's tokenizer: a double-quoted string with escapes, a single-quoted one, or a word.
    private static final Pattern ARG = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^'\"\\s]\\S*[^'\"\\s]?");

    private TxnParser() {}

    static Compare compare(String line) {
        int paren = line.indexOf('(');
        if (paren < 0) {
            throw invalidInput("malformed comparison: " + line);
        }
        String target = line.substring(0, paren);
        GoScan s = new GoScan(line.substring(paren + 1));
        String key = s.quoted();
        String op = key == null ? null : s.literal(')') ? s.word() : null;
        String val = op == null ? null : s.quoted();
        if (val == null) {
            throw invalidInput("malformed comparison: " + line + "; got " + target + "(" + GoScan.quote(key) + ") "
                    + (op == null ? "" : op) + " " + GoScan.quote(val));
        }
        Compare.Builder c = Compare.newBuilder().setKey(KeyRanges.bytes(key)).setResult(result(op));
        try {
            switch (target) {
                case "ver", "version" -> c.setTarget(Compare.CompareTarget.VERSION).setVersion(GoParse.parseInt(val, 10));
                case "c", "create" -> c.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(GoParse.parseInt(val, 10));
                case "m", "mod" -> c.setTarget(Compare.CompareTarget.MOD).setModRevision(GoParse.parseInt(val, 10));
                case "val", "value" -> c.setTarget(Compare.CompareTarget.VALUE).setValue(KeyRanges.bytes(val));
                // etcdctl 3.4 panics on lease compares; this follows 3.5, which compares the key's lease.
                case "lease" -> c.setTarget(Compare.CompareTarget.LEASE).setLease(GoParse.parseInt(val, 10));
                default -> throw invalidInput("malformed comparison: " + line + " (unknown target " + target + ")");
            }
        } catch (IllegalArgumentException e) {
            throw invalidInput("invalid txn compare request: " + line);
        }
        return c.build();
    }

    private static Compare.CompareResult result(String op) {
        return switch (op) {
            case "=", "==" -> Compare.CompareResult.EQUAL;
            case "!=" -> Compare.CompareResult.NOT_EQUAL;
            case "<" -> Compare.CompareResult.LESS;
            case ">" -> Compare.CompareResult.GREATER;
            // The Go client panics here ("Unknown result op").
            default -> throw CtlException.of(CtlException.EXIT_BAD_CONNECTION, "Unknown result op");
        };
    }

    static RequestOp request(String line, java.io.PrintStream err) {
        List<String> args = argify(line);
        if (args.size() < 2) {
            throw invalidInput("invalid txn compare request: " + line);
        }
        String name = args.get(0);
        String[] rest = args.subList(1, args.size()).toArray(new String[0]);
        try {
            switch (name) {
                case "get" -> {
                    RangeOptionsCommand cmd = new RangeOptionsCommand();
                    new CommandLine(cmd).parseArgs(rest);
                    return RequestOp.newBuilder().setRequestRange(cmd.opts.toRequest(cmd.args)).build();
                }
                case "put" -> {
                    PutCommand cmd = new PutCommand(null);
                    new CommandLine(cmd).parseArgs(rest);
                    // The value, when missing, comes from the rest of stdin, which the line reader has drained.
                    return RequestOp.newBuilder().setRequestPut(cmd.toRequest(new ByteArrayInputStream(new byte[0]))).build();
                }
                case "del" -> {
                    DelCommand cmd = new DelCommand(null);
                    new CommandLine(cmd).parseArgs(rest);
                    return RequestOp.newBuilder().setRequestDeleteRange(cmd.toRequest()).build();
                }
                default -> throw invalidInput("invalid txn request: " + line);
            }
        } catch (CommandLine.ParameterException e) {
            err.print(TxnUsage.of(name));
            throw invalidInput("invalid txn request: " + line);
        }
    }

    /** etcdctl's argify, including its slip: a single-quoted word is cut to [1, number of words - 1). */
    static List<String> argify(String s) {
        List<String> raw = new ArrayList<>();
        Matcher m = ARG.matcher(s);
        while (m.find()) {
            raw.add(m.group());
        }
        List<String> args = new ArrayList<>();
        for (String a : raw) {
            if (a.startsWith("'")) {
                int end = Math.min(Math.max(raw.size() - 1, 1), a.length());
                args.add(a.substring(1, end));
            } else if (a.startsWith("\"")) {
                String q = new GoScan(a).quoted();
                if (q == null) {
                    throw invalidInput("unexpected EOF");
                }
                args.add(q);
            } else {
                args.add(a);
            }
        }
        return args;
    }

    private static CtlException invalidInput(String msg) {
        return CtlException.of(CtlException.EXIT_INVALID_INPUT, msg);
    }

    /** get's range flags alone, as a txn line takes them. */
    @CommandLine.Command(name = "get")
    static final class RangeOptionsCommand {
        final RangeOptions opts = new RangeOptions();

        @CommandLine.Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        @CommandLine.Option(names = "--consistency", defaultValue = "l")
        void consistency(String v) {
            opts.consistency = v;
        }

        @CommandLine.Option(names = "--order", defaultValue = "")
        void order(String v) {
            opts.order = v;
        }

        @CommandLine.Option(names = "--sort-by", defaultValue = "")
        void sortBy(String v) {
            opts.sortBy = v;
        }

        @CommandLine.Option(names = "--limit", defaultValue = "0")
        void limit(long v) {
            opts.limit = v;
        }

        @CommandLine.Option(names = "--prefix", arity = "0..1", fallbackValue = "true", defaultValue = "false")
        void prefix(boolean v) {
            opts.prefix = v;
        }

        @CommandLine.Option(names = "--from-key", arity = "0..1", fallbackValue = "true", defaultValue = "false")
        void fromKey(boolean v) {
            opts.fromKey = v;
        }

        @CommandLine.Option(names = "--rev", defaultValue = "0")
        void rev(long v) {
            opts.rev = v;
        }

        @CommandLine.Option(names = "--keys-only", arity = "0..1", fallbackValue = "true", defaultValue = "false")
        void keysOnly(boolean v) {
            opts.keysOnly = v;
        }

        @CommandLine.Option(names = "--count-only", arity = "0..1", fallbackValue = "true", defaultValue = "false")
        void countOnly(boolean v) {
            opts.countOnly = v;
        }

        @CommandLine.Option(names = "--print-value-only", arity = "0..1", fallbackValue = "true", defaultValue = "false")
        boolean printValueOnly;
    }
}
