package io.keyline.gateway;

import io.keyline.gateway.config.EtcdFlags;
import io.keyline.gateway.config.NodeConfig;
import io.keyline.gateway.snapshot.SnapshotRestoreCommand;
import io.keyline.replication.CommonPoolFloor;
import picocli.CommandLine;

/**
 * The {@code bin/keyline} entry point. Flag errors are one line and exit 1, as etcd's are; the
 * logger is configured from --log-level before any logger exists.
 */
public final class KeylineMain {
    private KeylineMain() {
    }

    public static void main(String[] args) throws Exception {
        CommonPoolFloor.apply();
        if (args.length >= 2 && args[0].equals("snapshot") && args[1].equals("restore")) {
            System.exit(restore(java.util.Arrays.copyOfRange(args, 2, args.length)));
        }
        EtcdFlags flags = new EtcdFlags();
        CommandLine cli = new CommandLine(flags);
        NodeConfig config;
        try {
            cli.parseArgs(args);
            if (cli.isUsageHelpRequested()) {
                cli.usage(System.out);
                return;
            }
            config = NodeConfig.from(flags);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            System.err.println("keyline: " + e.getMessage().lines().findFirst().orElse(""));
            System.exit(1);
            return;
        }
        configureLogging(config.logLevel());
        KeylineNode node = new KeylineNode(config);
        try {
            node.start();
        } catch (Exception e) {
            System.err.println("keyline: cannot start: " + rootMessage(e));
            Runtime.getRuntime().halt(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception ignored) {
                // the process is exiting anyway
            }
        }, "keyline-shutdown"));
        node.awaitTermination();
    }

    private static int restore(String[] args) {
        CommandLine cli = new CommandLine(new SnapshotRestoreCommand());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            String message = e instanceof java.nio.file.NoSuchFileException missing
                    ? "open " + missing.getFile() + ": no such file or directory"
                    : rootMessage(e);
            System.err.println("Error: " + message);
            return 1;
        });
        cli.setParameterExceptionHandler((e, line) -> {
            System.err.println("Error: " + e.getMessage().lines().findFirst().orElse(""));
            return 1;
        });
        return cli.execute(args);
    }

    private static void configureLogging(String etcdLevel) {
        String level = switch (etcdLevel) {
            case "panic", "fatal" -> "error";
            default -> etcdLevel;
        };
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        // Ratis and gRPC narrate every election and connection at info; our own lines cover the lifecycle.
        if (!level.equals("debug")) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.io.grpc", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
            // Each reconnect attempt to a member that is down: three warnings with stack traces, ~25 a
            // second under writes. PeerActivity logs the member going inactive and active once each.
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis.util.LifeCycle", "off");
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis.server.leader.LogAppender", "error");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
