package io.keyline.etcdctl;

import io.keyline.etcdctl.output.GoText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * etcdctl's help page for a command (its own template over cobra), rebuilt from the picocli
 * model: @Command description is cobra's Short, customSynopsis its Use, footer its Long.
 */
final class Usage {
    static final String VERSION = "3.4.23";
    static final String API_VERSION = "3.4";

    private Usage() {}

    static String of(CommandLine cmd) {
        CommandSpec spec = cmd.getCommandSpec();
        boolean root = spec.parent() == null;
        boolean group = !cmd.getSubcommands().isEmpty();
        StringBuilder sb = new StringBuilder("NAME:\n");
        sb.append('\t').append(root ? spec.name() : path(spec, null)).append(" - ").append(shortText(spec)).append('\n');
        sb.append("\nUSAGE:\n\t").append(useLine(spec)).append('\n');
        if (root) {
            sb.append("\nVERSION:\n\t").append(VERSION).append('\n');
        }
        if (group) {
            sb.append("\nAPI VERSION:\n\t").append(API_VERSION).append('\n');
            sb.append("\n\nCOMMANDS:\n");
            for (CommandLine sub : allSubcommands(cmd)) {
                if (sub.getSubcommands().isEmpty()) {
                    sb.append('\t').append(path(sub.getCommandSpec(), spec)).append('\t')
                            .append(shortText(sub.getCommandSpec())).append('\n');
                }
            }
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            sb.append("\nDESCRIPTION:\n");
            for (String line : footer[0].replaceAll("^[\n\t ]+|[\n\t ]+$", "").split("\n", -1)) {
                sb.append('\t').append(line).append('\n');
            }
        }
        sb.append("\nOPTIONS:\n").append(flags(spec, false));
        if (!root) {
            sb.append("\nGLOBAL OPTIONS:\n").append(flags(spec, true));
        }
        sb.append('\n');
        return TabWriter.format(sb.toString());
    }

    private static String shortText(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0];
    }

    private static String useLine(CommandSpec spec) {
        String[] syn = spec.usageMessage().customSynopsis();
        String use = syn.length == 0 ? spec.name() : syn[0];
        String parents = spec.parent() == null ? "" : path(spec.parent(), null) + " ";
        if (spec.parent() != null && spec.parent().parent() != null) {
            parents = "etcdctl " + parents;
        } else if (spec.parent() != null) {
            parents = "etcdctl ";
        }
        return parents + use + " [flags]";
    }

    /** A command's name with its parents' up to (not including) stop, or the root. */
    private static String path(CommandSpec spec, CommandSpec stop) {
        List<String> parts = new ArrayList<>();
        for (CommandSpec s = spec; s != null && s != stop && s.parent() != null; s = s.parent()) {
            parts.add(0, s.name());
        }
        return String.join(" ", parts);
    }

    private static List<CommandLine> allSubcommands(CommandLine cmd) {
        List<CommandLine> all = new ArrayList<>();
        List<CommandLine> subs = new ArrayList<>(cmd.getSubcommands().values());
        subs = new ArrayList<>(new java.util.LinkedHashSet<>(subs));
        subs.sort(Comparator.comparing(CommandLine::getCommandName));
        for (CommandLine sub : subs) {
            all.add(sub);
            all.addAll(allSubcommands(sub));
        }
        return all;
    }

    private static String flags(CommandSpec spec, boolean inherited) {
        List<OptionSpec> opts = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.inherited() == inherited || (spec.parent() == null && !inherited)) {
                opts.add(o);
            }
        }
        List<String[]> rows = new ArrayList<>();
        if (!inherited) {
            rows.add(new String[] {"help", "  -h, --help[=false]\thelp for " + spec.name() + "\n"});
        }
        for (OptionSpec o : opts) {
            String name = longName(o).substring(2);
            if (name.equals("help")) {
                continue;
            }
            String shorthand = shortName(o);
            StringBuilder sb = new StringBuilder(shorthand == null ? "      --" : "  " + shorthand + ", --").append(name);
            boolean bool = isBool(o);
            String def = defaultText(o, name);
            if (bool) {
                sb.append("[=").append(def).append(']');
            } else if (isString(o, name)) {
                sb.append('=').append(GoText.quote(def));
            } else {
                sb.append('=').append(def);
            }
            String[] d = o.description();
            sb.append('\t').append(d.length == 0 ? "" : d[0]).append('\n');
            rows.add(new String[] {name, sb.toString()});
        }
        rows.sort(Comparator.comparing(r -> r[0]));
        StringBuilder all = new StringBuilder();
        for (String[] r : rows) {
            all.append(r[1]);
        }
        return all.toString();
    }

    private static String longName(OptionSpec o) {
        return o.longestName();
    }

    private static String shortName(OptionSpec o) {
        for (String n : o.names()) {
            if (n.length() == 2) {
                return n;
            }
        }
        return null;
    }

    private static boolean isBool(OptionSpec o) {
        return o.type() == boolean.class || o.type() == Boolean.class || "true".equals(o.fallbackValue());
    }

    private static boolean isString(OptionSpec o, String name) {
        GlobalDoc g = GLOBAL_DOCS.get(name);
        if (g != null && o.inherited() | o.command().parent() == null) {
            return g.string;
        }
        return o.type() == String.class && !"int64".equals(o.paramLabel()) && !"duration".equals(o.paramLabel());
    }

    private static String defaultText(OptionSpec o, String name) {
        GlobalDoc g = GLOBAL_DOCS.get(name);
        if (g != null && (o.inherited() || o.command().parent() == null)) {
            return g.def;
        }
        if (o.defaultValue() != null) {
            return o.defaultValue();
        }
        return isBool(o) ? "false" : "";
    }

    private record GlobalDoc(String def, boolean string) {}

    /** Defaults of the global flags as etcdctl prints them (their setters take no picocli default). */
    private static final Map<String, GlobalDoc> GLOBAL_DOCS = Map.ofEntries(
            Map.entry("endpoints", new GlobalDoc("[127.0.0.1:2379]", false)),
            Map.entry("debug", new GlobalDoc("false", false)),
            Map.entry("write-out", new GlobalDoc("simple", true)),
            Map.entry("hex", new GlobalDoc("false", false)),
            Map.entry("dial-timeout", new GlobalDoc("2s", false)),
            Map.entry("command-timeout", new GlobalDoc("5s", false)),
            Map.entry("keepalive-time", new GlobalDoc("2s", false)),
            Map.entry("keepalive-timeout", new GlobalDoc("6s", false)),
            Map.entry("insecure-transport", new GlobalDoc("true", false)),
            Map.entry("insecure-discovery", new GlobalDoc("true", false)),
            Map.entry("insecure-skip-tls-verify", new GlobalDoc("false", false)),
            Map.entry("cert", new GlobalDoc("", true)),
            Map.entry("key", new GlobalDoc("", true)),
            Map.entry("cacert", new GlobalDoc("", true)),
            Map.entry("user", new GlobalDoc("", true)),
            Map.entry("password", new GlobalDoc("", true)),
            Map.entry("discovery-srv", new GlobalDoc("", true)),
            Map.entry("discovery-srv-name", new GlobalDoc("", true)));
}
