package io.keyline.etcdctl;

import io.keyline.etcdctl.client.ClientConfig;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Format;
import io.keyline.etcdctl.output.Output;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * One invocation of keylinectl: its streams, environment, raw arguments and global flags.
 * Commands get it in their constructor instead of reaching for System.in/out/err or statics,
 * so tests can run many invocations in one JVM.
 */
public final class Ctl {
    private static final DateTimeFormatter CAPNSLOG = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    /** Environment variables etcdctl reads itself rather than as flags. */
    private static final List<String> NOT_FLAGS = List.of("ETCDCTL_API", "ETCDCTL_WATCH_KEY",
            "ETCDCTL_WATCH_RANGE_END");

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final String[] rawArgs;
    private final GlobalOptions global = new GlobalOptions();
    private boolean envApplied;

    public Ctl(String[] rawArgs, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.rawArgs = rawArgs;
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    GlobalOptions globalOptions() {
        return global;
    }

    public GlobalOptions global() {
        applyEnv();
        return global;
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null ? "" : v;
    }

    public Map<String, String> environment() {
        return env;
    }

    public String[] rawArgs() {
        return rawArgs;
    }

    /**
     * The output format after ETCDCTL_* variables applied; an unknown format is an error before
     * any request is sent, as in etcdctl.
     */
    public Output output() {
        applyEnv();
        Format f = Format.parse(global.writeOut);
        if (f == null) {
            throw CtlException.of(CtlException.EXIT_BAD_FEATURE, "unsupported output format");
        }
        return new Output(f, global.hex, out, err);
    }

    public ClientConfig clientConfig() {
        applyEnv();
        return new ClientConfig(global.dialTimeout, global.commandTimeout, global.keepAliveTime,
                global.keepAliveTimeout, err);
    }

    /** A connection to --endpoints; the output format is checked first, as etcdctl does. */
    public Connection connect() {
        output();
        return Connection.toCluster(clientConfig(), global.endpoints);
    }

    /** etcd's pkg/flags.SetPflagsFromEnv for the global flags, including its warnings. */
    private void applyEnv() {
        if (envApplied) {
            return;
        }
        envApplied = true;
        for (String name : GlobalOptions.NAMES) {
            String key = envName(name);
            String v = env.get(key);
            if (v != null && !v.isEmpty() && !global.isChanged(name)) {
                try {
                    global.setFromEnv(name, v);
                } catch (Flags.BadValue e) {
                    throw CtlException.of(CtlException.EXIT_ERROR, "invalid value \"" + v + "\" for " + key + ": "
                            + e.getMessage().substring(e.getMessage().indexOf("flag: ") + 6));
                }
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("ETCDCTL_") || NOT_FLAGS.contains(k)) {
                continue;
            }
            String flag = flagOf(k);
            if (flag != null && global.isChanged(flag)) {
                capnslog('C', "conflicting environment variable \"" + k + "\" is shadowed by corresponding"
                        + " command-line flag (either unset environment variable or disable flag)");
                throw CtlException.silent(CtlException.EXIT_ERROR);
            }
            if (flag == null) {
                capnslog('W', "unrecognized environment variable " + k + "=" + e.getValue());
            }
        }
    }

    private static String envName(String flag) {
        return "ETCDCTL_" + flag.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static String flagOf(String envKey) {
        for (String name : GlobalOptions.NAMES) {
            if (envName(name).equals(envKey)) {
                return name;
            }
        }
        return null;
    }

    /** etcd's capnslog line format, which pkg/flags uses for its messages. */
    private void capnslog(char level, String msg) {
        err.println(LocalDateTime.now().format(CAPNSLOG) + " " + level + " | pkg/flags: " + msg);
    }
}
