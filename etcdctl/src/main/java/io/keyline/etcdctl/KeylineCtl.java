package io.keyline.etcdctl;

import io.keyline.etcdctl.check.CheckCommand;
import io.keyline.etcdctl.cluster.EndpointCommand;
import io.keyline.etcdctl.cluster.MemberCommand;
import io.keyline.etcdctl.cluster.MoveLeaderCommand;
import io.keyline.etcdctl.kv.CompactionCommand;
import io.keyline.etcdctl.kv.DelCommand;
import io.keyline.etcdctl.kv.GetCommand;
import io.keyline.etcdctl.kv.PutCommand;
import io.keyline.etcdctl.kv.TxnCommand;
import io.keyline.etcdctl.lease.LeaseCommand;
import io.keyline.etcdctl.maintenance.AlarmCommand;
import io.keyline.etcdctl.maintenance.DefragCommand;
import io.keyline.etcdctl.maintenance.SnapshotCommand;
import io.keyline.etcdctl.maintenance.VersionCommand;
import io.keyline.etcdctl.watch.WatchCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** keylinectl: etcdctl v3's commands, flags, output and exit statuses, over etcd's gRPC API. */
@Command(name = "etcdctl", description = "A simple command line client for etcd3.")
public final class KeylineCtl implements Runnable {
    @Mixin
    private final GlobalOptions global;
    private final Ctl ctl;
    private CommandLine self;

    private KeylineCtl(Ctl ctl) {
        this.ctl = ctl;
        this.global = ctl.globalOptions();
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, System.in, out, err, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit status; never calls System.exit. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Ctl ctl = new Ctl(args, in, out, err, env);
        KeylineCtl root = new KeylineCtl(ctl);
        CommandLine cmd = new CommandLine(root);
        root.self = cmd;
        cmd.addSubcommand(new GetCommand(ctl));
        cmd.addSubcommand(new PutCommand(ctl));
        cmd.addSubcommand(new DelCommand(ctl));
        cmd.addSubcommand(new TxnCommand(ctl));
        cmd.addSubcommand(new CompactionCommand(ctl));
        cmd.addSubcommand(AlarmCommand.group(ctl));
        cmd.addSubcommand(new DefragCommand(ctl));
        cmd.addSubcommand(EndpointCommand.group(ctl));
        cmd.addSubcommand(new MoveLeaderCommand(ctl));
        cmd.addSubcommand(new WatchCommand(ctl));
        cmd.addSubcommand(new VersionCommand(ctl));
        cmd.addSubcommand(LeaseCommand.group(ctl));
        cmd.addSubcommand(MemberCommand.group(ctl));
        cmd.addSubcommand(SnapshotCommand.group(ctl));
        cmd.addSubcommand(CheckCommand.group(ctl));
        cmd.setAbbreviatedSubcommandsAllowed(true);
        Cobra cobra = new Cobra(ctl);
        try {
            CommandLine.ParseResult parsed;
            try {
                parsed = cmd.parseArgs(args);
            } catch (CommandLine.ParameterException ex) {
                return cobra.parameterError(ex, args);
            }
            java.util.List<CommandLine> chain = parsed.asCommandLineList();
            CommandLine last = chain.get(chain.size() - 1);
            if (root.global.help || !last.getSubcommands().isEmpty()) {
                Cobra.printUsage(ctl, last);
                return 0;
            }
            ((Runnable) last.getCommand()).run();
            return 0;
        } catch (CtlException e) {
            if (!e.alreadyPrinted()) {
                ctl.err().println("Error: " + e.getMessage());
            }
            return e.code();
        } finally {
            out.flush();
            err.flush();
        }
    }

    @Override
    public void run() {
        Cobra.printUsage(ctl, self);
    }
}
