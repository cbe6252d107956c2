package io.keyline.etcdctl.cluster;

import io.grpc.StatusRuntimeException;
import io.keyline.api.etcdserverpb.AlarmMember;
import io.keyline.api.etcdserverpb.AlarmRequest;
import io.keyline.api.etcdserverpb.AlarmResponse;
import io.keyline.api.etcdserverpb.HashKVRequest;
import io.keyline.api.etcdserverpb.HashKVResponse;
import io.keyline.api.etcdserverpb.MemberListRequest;
import io.keyline.api.etcdserverpb.MemberListResponse;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.api.etcdserverpb.StatusResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.Flags;
import io.keyline.etcdctl.GoDuration;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** etcdctl endpoint health|status|hashkv, for --endpoints or (--cluster) every member's client URLs. */
@Command(name = "endpoint", description = "Endpoint related commands", customSynopsis = "endpoint <subcommand>")
public final class EndpointCommand implements Runnable {
    @Option(names = "--cluster", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "use all endpoints from the cluster member list")
    boolean cluster;

    private EndpointCommand() {}

    public static CommandLine group(Ctl ctl) {
        EndpointCommand ec = new EndpointCommand();
        CommandLine g = new CommandLine(ec);
        g.addSubcommand(new HealthCmd(ctl, ec));
        g.addSubcommand(new StatusCmd(ctl, ec));
        g.addSubcommand(new HashKvCmd(ctl, ec));
        return g;
    }

    @Override
    public void run() {}

    /** The endpoints to visit; with --cluster, every member's client URLs. */
    static List<String> endpoints(Ctl ctl, boolean cluster) {
        if (!cluster) {
            return ctl.global().endpoints();
        }
        MemberListResponse members;
        try (Connection c = Connection.toCluster(ctl.clientConfig(), ctl.global().endpoints())) {
            members = c.call(() -> c.cluster().memberList(MemberListRequest.getDefaultInstance()),
                    CtlException.EXIT_ERROR, m -> "failed to fetch endpoints from etcd cluster member list: " + m);
        }
        List<String> eps = new ArrayList<>();
        members.getMembersList().forEach(m -> eps.addAll(m.getClientURLsList()));
        return eps;
    }

    @Command(name = "health", description = "Checks the healthiness of endpoints specified in `--endpoints` flag", customSynopsis = "health")
    static final class HealthCmd implements Runnable {
        private final Ctl ctl;
        private final EndpointCommand parent;

        HealthCmd(Ctl ctl, EndpointCommand parent) {
            this.ctl = ctl;
            this.parent = parent;
        }

        @Override
        public void run() {
            Output o = ctl.output();
            List<EndpointPrinter.Health> hs = new ArrayList<>();
            for (String ep : endpoints(ctl, parent.cluster)) {
                hs.add(check(ep));
            }
            EndpointPrinter.health(o, hs);
            if (hs.stream().anyMatch(h -> !h.error().isEmpty())) {
                throw CtlException.of(CtlException.EXIT_ERROR, "unhealthy cluster");
            }
        }

        /**
         * A member is healthy if a linearizable read goes through consensus (permission denied
         * counts, as it did); since etcdctl 3.5 an active alarm makes it unhealthy too.
         */
        private EndpointPrinter.Health check(String ep) {
            try (Connection c = Connection.toCluster(ctl.clientConfig(), List.of(ep))) {
                long start = System.nanoTime();
                String error = "";
                try {
                    c.kv().range(RangeRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("health")).build());
                } catch (StatusRuntimeException e) {
                    String text = c.failed(e);
                    if (!text.equals("etcdserver: permission denied")) {
                        error = text;
                    }
                }
                String took = GoDuration.format(Duration.ofNanos(System.nanoTime() - start));
                if (error.isEmpty()) {
                    try {
                        AlarmResponse alarms = c.maintenance().alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build());
                        if (alarms.getAlarmsCount() > 0) {
                            StringBuilder sb = new StringBuilder("Active Alarm(s): ");
                            for (AlarmMember a : alarms.getAlarmsList()) {
                                sb.append(switch (a.getAlarm()) {
                                    case NOSPACE -> "NOSPACE ";
                                    case CORRUPT -> "CORRUPT ";
                                    default -> "UNKNOWN ";
                                });
                            }
                            error = sb.toString();
                        }
                    } catch (StatusRuntimeException e) {
                        c.failed(e);
                        error = "Unable to fetch the alarm list";
                    }
                }
                return new EndpointPrinter.Health(ep, error.isEmpty(), took, error);
            }
        }
    }

    @Command(name = "status", description = "Prints out the status of endpoints specified in `--endpoints` flag", customSynopsis = "status",
            footer = "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\n"
                    + "The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.\n")
    static final class StatusCmd implements Runnable {
        private final Ctl ctl;
        private final EndpointCommand parent;

        StatusCmd(Ctl ctl, EndpointCommand parent) {
            this.ctl = ctl;
            this.parent = parent;
        }

        @Override
        public void run() {
            Output o = ctl.output();
            List<EndpointPrinter.Status> ss = new ArrayList<>();
            boolean failed = false;
            for (String ep : endpoints(ctl, parent.cluster)) {
                try (Connection c = Connection.toMember(ctl.clientConfig(), ep)) {
                    try {
                        StatusResponse r = c.maintenance().status(StatusRequest.getDefaultInstance());
                        ss.add(new EndpointPrinter.Status(ep, r));
                    } catch (StatusRuntimeException e) {
                        failed = true;
                        o.errln("Failed to get the status of endpoint " + ep + " (" + c.failed(e) + ")");
                    }
                }
            }
            EndpointPrinter.status(o, ss);
            if (failed) {
                throw CtlException.silent(CtlException.EXIT_ERROR);
            }
        }
    }

    @Command(name = "hashkv", description = "Prints the KV history hash for each endpoint in --endpoints", customSynopsis = "hashkv")
    static final class HashKvCmd implements Runnable {
        private final Ctl ctl;
        private final EndpointCommand parent;
        private long rev;

        HashKvCmd(Ctl ctl, EndpointCommand parent) {
            this.ctl = ctl;
            this.parent = parent;
        }

        @Option(names = "--rev", defaultValue = "0", paramLabel = "int64", description = "maximum revision to hash (default: all revisions)")
        void rev(String v) {
            rev = Flags.int64("rev", v);
        }

        @Override
        public void run() {
            Output o = ctl.output();
            List<EndpointPrinter.Hash> hs = new ArrayList<>();
            String lastError = null;
            for (String ep : endpoints(ctl, parent.cluster)) {
                try (Connection c = Connection.toMember(ctl.clientConfig(), ep)) {
                    try {
                        HashKVResponse r = c.maintenance().hashKV(HashKVRequest.newBuilder().setRevision(rev).build());
                        hs.add(new EndpointPrinter.Hash(ep, r));
                    } catch (StatusRuntimeException e) {
                        lastError = c.failed(e);
                        o.errln("Failed to get the hash of endpoint " + ep + " (" + lastError + ")");
                    }
                }
            }
            EndpointPrinter.hashKv(o, hs);
            if (lastError != null) {
                throw CtlException.of(CtlException.EXIT_ERROR, lastError);
            }
        }
    }

}
