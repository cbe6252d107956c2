package io.keyline.etcdctl.maintenance;

import io.grpc.StatusRuntimeException;
import io.keyline.api.etcdserverpb.SnapshotRequest;
import io.keyline.api.etcdserverpb.SnapshotResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.Humanize;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** etcdctl snapshot save: streams one member's backend into a file (via "file.part"). */
@Command(name = "snapshot", description = "Manages etcd node snapshots", customSynopsis = "snapshot <subcommand>")
public final class SnapshotCommand implements Runnable {
    private SnapshotCommand() {}

    public static CommandLine group(Ctl ctl) {
        CommandLine g = new CommandLine(new SnapshotCommand());
        g.addSubcommand(new Save(ctl));
        return g;
    }

    @Override
    public void run() {}

    @Command(name = "save", description = "Stores an etcd node backend snapshot to a given file", customSynopsis = "save <filename>")
    static final class Save implements Runnable {
        private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX");
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Save(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            if (args.size() != 1) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "snapshot save expects one argument");
            }
            ctl.output();
            List<String> eps = ctl.global().endpoints();
            if (eps.size() != 1) {
                throw CtlException.of(CtlException.EXIT_INTERRUPTED,
                        "snapshot must be requested to one selected node, not multiple [" + String.join(" ", eps) + "]");
            }
            String path = args.get(0);
            Path part = Path.of(path + ".part");
            // Without --command-timeout the download has no deadline, as in etcdctl.
            Duration timeout = ctl.global().commandTimeoutSet() ? ctl.global().commandTimeout() : null;
            try (Connection c = Connection.toCluster(ctl.clientConfig(), eps)) {
                OutputStream f = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                log("snapshot/v3_snapshot.go:119", "created temporary db file", Map.of("path", part.toString()), true);
                long start = System.nanoTime();
                long size = 0;
                try (f) {
                    Iterator<SnapshotResponse> it = c.maintenance(timeout).snapshot(SnapshotRequest.getDefaultInstance());
                    boolean first = true;
                    while (it.hasNext()) {
                        SnapshotResponse r = it.next();
                        if (first) {
                            log("clientv3/maintenance.go:200", "opened snapshot stream; downloading", Map.of(), false);
                            log("snapshot/v3_snapshot.go:127", "fetching snapshot", Map.of("endpoint", eps.get(0)), true);
                            first = false;
                        }
                        r.getBlob().writeTo(f);
                        size += r.getBlob().size();
                    }
                    log("clientv3/maintenance.go:208", "completed snapshot read; closing", Map.of(), false);
                } catch (StatusRuntimeException e) {
                    throw CtlException.of(CtlException.EXIT_INTERRUPTED, io.keyline.etcdctl.client.RpcErrors.clientText(e));
                }
                try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Map<String, Object> fetched = GoJson.object();
                fetched.put("endpoint", eps.get(0));
                fetched.put("size", Humanize.bytes(size));
                fetched.put("took", new BigDecimal(Double.toString((System.nanoTime() - start) / 1e9)));
                log("snapshot/v3_snapshot.go:142", "fetched snapshot", fetched, true);
                Files.move(part, Path.of(path), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                log("snapshot/v3_snapshot.go:152", "saved", Map.of("path", path), true);
            } catch (IOException e) {
                throw CtlException.of(CtlException.EXIT_INTERRUPTED, e.getMessage());
            }
            ctl.output().println("Snapshot saved at " + path);
        }

        /**
         * etcdctl's zap log lines on stderr. Its snapshot package logs "ts" as epoch seconds, the
         * client's maintenance code as ISO 8601; both are reproduced.
         */
        private void log(String caller, String msg, Map<String, Object> fields, boolean epochTs) {
            Map<String, Object> line = GoJson.object();
            line.put("level", "info");
            ZonedDateTime now = ZonedDateTime.now();
            if (epochTs) {
                double secs = now.toInstant().toEpochMilli() / 1e3 + (now.getNano() % 1_000_000) / 1e9;
                line.put("ts", new BigDecimal(Double.toString(secs)));
            } else {
                line.put("ts", now.format(TS));
            }
            line.put("caller", caller);
            line.put("msg", msg);
            line.putAll(fields);
            ctl.err().println(GoJson.write(line));
        }
    }
}
