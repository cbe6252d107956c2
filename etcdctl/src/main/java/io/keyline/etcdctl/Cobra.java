package io.keyline.etcdctl;

import io.keyline.etcdctl.output.GoText;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** What etcdctl's command framework (cobra/pflag) says and does about a malformed command line. */
final class Cobra {
    private final Ctl ctl;

    Cobra(Ctl ctl) {
        this.ctl = ctl;
    }

    static void printUsage(Ctl ctl, CommandLine cmd) {
        byte[] b = Usage.of(cmd).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ctl.out().write(b, 0, b.length);
    }

    int parameterError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        if (cmd.getCommandSpec().parent() == null && ex instanceof UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            String msg = "unknown command " + GoText.quote(u.getUnmatched().get(0)) + " for \"etcdctl\"";
            ctl.err().println("Error: " + msg);
            ctl.err().println("Run 'etcdctl --help' for usage.");
            ctl.err().println("Error: " + msg);
            return CtlException.EXIT_ERROR;
        }
        if (!cmd.getSubcommands().isEmpty() && cmd.getCommandSpec().parent() != null
                && ex instanceof UnmatchedArgumentException u && !u.getUnmatched().get(0).startsWith("-")) {
            // cobra shows a command group's help, whatever follows it.
            printUsage(ctl, cmd);
            return 0;
        }
        String msg = message(ex, args);
        ctl.err().println("Error: " + msg);
        printUsage(ctl, commandNamedIn(cmd, args));
        ctl.err().println();
        ctl.err().println("Error: " + msg);
        return CtlException.EXIT_ERROR;
    }

    /**
     * cobra finds the command before it parses any flag, so a bad global flag in front of the
     * command still shows that command's help; picocli stops at the flag, so look ahead here.
     */
    private static CommandLine commandNamedIn(CommandLine failedAt, String[] args) {
        CommandLine cur = failedAt;
        boolean past = failedAt.getCommandSpec().parent() != null;
        for (String a : args) {
            if (past || a.startsWith("-")) {
                continue;
            }
            CommandLine next = null;
            for (var e : cur.getSubcommands().entrySet()) {
                if (e.getKey().equals(a) || (next == null && e.getKey().startsWith(a))) {
                    next = e.getValue();
                }
            }
            if (next != null) {
                cur = next;
            }
        }
        return cur;
    }

    private static String message(ParameterException ex, String[] args) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof Flags.BadValue b) {
                return b.getMessage();
            }
        }
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                return "unknown flag: " + (eq > 0 ? arg.substring(0, eq) : arg);
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                return "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
            }
        }
        if (ex instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof CommandLine.Model.OptionSpec o) {
            String name = o.longestName();
            String shortName = o.shortestName();
            String last = args.length == 0 ? "" : args[args.length - 1];
            if (shortName.length() == 2 && last.equals(shortName)) {
                return "flag needs an argument: '" + shortName.charAt(1) + "' in " + shortName;
            }
            return "flag needs an argument: " + name;
        }
        return ex.getMessage();
    }
}
