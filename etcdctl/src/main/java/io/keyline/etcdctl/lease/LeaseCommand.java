package io.keyline.etcdctl.lease;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.LeaseGrantRequest;
import io.keyline.api.etcdserverpb.LeaseGrantResponse;
import io.keyline.api.etcdserverpb.LeaseGrpc;
import io.keyline.api.etcdserverpb.LeaseKeepAliveRequest;
import io.keyline.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keyline.api.etcdserverpb.LeaseLeasesRequest;
import io.keyline.api.etcdserverpb.LeaseLeasesResponse;
import io.keyline.api.etcdserverpb.LeaseRevokeRequest;
import io.keyline.api.etcdserverpb.LeaseRevokeResponse;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keyline.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.GoParse;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Format;
import io.keyline.etcdctl.output.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcdctl lease grant|revoke|timetolive|list|keep-alive. */
@Command(name = "lease", description = "Lease related commands", customSynopsis = "lease <subcommand>")
public final class LeaseCommand implements Runnable {
    private LeaseCommand() {}

    public static CommandLine group(Ctl ctl) {
        CommandLine g = new CommandLine(new LeaseCommand());
        g.addSubcommand(new Grant(ctl));
        g.addSubcommand(new Revoke(ctl));
        g.addSubcommand(new TimeToLive(ctl));
        g.addSubcommand(new ListLeases(ctl));
        g.addSubcommand(new KeepAlive(ctl));
        return g;
    }

    @Override
    public void run() {}

    static long leaseId(String arg) {
        try {
            return GoParse.parseInt(arg, 16);
        } catch (IllegalArgumentException e) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "bad lease ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }

    @Command(name = "grant", description = "Creates leases", customSynopsis = "grant <ttl>")
    static final class Grant implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Grant(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            if (args.size() != 1) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "lease grant command needs TTL argument");
            }
            long ttl;
            try {
                ttl = GoParse.parseInt(args.get(0), 10);
            } catch (IllegalArgumentException e) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "bad TTL (" + e.getMessage() + ")");
            }
            LeaseGrantResponse resp;
            try (Connection c = ctl.connect()) {
                resp = c.call(() -> c.lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()),
                        CtlException.EXIT_ERROR, m -> "failed to grant lease (" + m + ")");
            }
            new LeasePrinter(ctl.output()).grant(resp);
        }
    }

    @Command(name = "revoke", description = "Revokes leases", customSynopsis = "revoke <leaseID>")
    static final class Revoke implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Revoke(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            if (args.size() != 1) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "lease revoke command needs 1 argument");
            }
            long id = leaseId(args.get(0));
            LeaseRevokeResponse resp;
            try (Connection c = ctl.connect()) {
                resp = c.call(() -> c.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()),
                        CtlException.EXIT_ERROR, m -> "failed to revoke lease (" + m + ")");
            }
            new LeasePrinter(ctl.output()).revoke(id, resp);
        }
    }

    @Command(name = "timetolive", description = "Get lease information", customSynopsis = "timetolive <leaseID> [options]")
    static final class TimeToLive implements Runnable {
        private final Ctl ctl;
        @Option(names = "--keys", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Get keys attached to this lease")
        boolean keys;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        TimeToLive(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            if (args.size() != 1) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "lease timetolive command needs lease ID as argument");
            }
            long id = leaseId(args.get(0));
            LeaseTimeToLiveResponse resp;
            try (Connection c = ctl.connect()) {
                // etcdctl asks without a deadline.
                LeaseGrpc.LeaseBlockingStub stub = LeaseGrpc.newBlockingStub(c.channel()).withWaitForReady();
                resp = c.call(() -> stub.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(keys).build()),
                        CtlException.EXIT_BAD_CONNECTION, m -> m);
            }
            new LeasePrinter(ctl.output()).timeToLive(resp, keys);
        }
    }

    @Command(name = "list", description = "List all active leases", customSynopsis = "list")
    static final class ListLeases implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        ListLeases(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            LeaseLeasesResponse resp;
            try (Connection c = ctl.connect()) {
                LeaseGrpc.LeaseBlockingStub stub = LeaseGrpc.newBlockingStub(c.channel()).withWaitForReady();
                resp = c.call(() -> stub.leaseLeases(LeaseLeasesRequest.getDefaultInstance()),
                        CtlException.EXIT_BAD_CONNECTION, m -> m);
            }
            new LeasePrinter(ctl.output()).leases(resp);
        }
    }

    @Command(name = "keep-alive", description = "Keeps leases alive (renew)", customSynopsis = "keep-alive [options] <leaseID>")
    static final class KeepAlive implements Runnable {
        private final Ctl ctl;
        @Option(names = "--once", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Resets the keep-alive time to its original value and exits immediately")
        boolean once;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        KeepAlive(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            if (args.size() != 1) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "lease keep-alive command needs lease ID as argument");
            }
            long id = leaseId(args.get(0));
            try (Connection c = ctl.connect()) {
                LeasePrinter p = new LeasePrinter(ctl.output());
                if (once) {
                    p.keepAlive(renewOnce(c, id));
                    return;
                }
                new KeepAliveLoop(c, id, ctl.clientConfig().dialTimeout()).run(p);
                if (ctl.output().format() == Format.SIMPLE) {
                    ctl.output().println("lease " + GoText.hex016(id) + " expired or revoked.");
                }
            }
        }

        /** One renewal on a stream of its own, as the Go client's KeepAliveOnce. */
        private static LeaseKeepAliveResponse renewOnce(Connection c, long id) {
            BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
            StreamObserver<LeaseKeepAliveRequest> requests = c.leaseAsync().leaseKeepAlive(new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveResponse r) {
                    answers.add(r);
                }

                @Override
                public void onError(Throwable t) {
                    answers.add(t);
                }

                @Override
                public void onCompleted() {
                    answers.add("done");
                }
            });
            requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
            Object a = take(answers);
            if (a instanceof StatusRuntimeException e) {
                throw CtlException.of(CtlException.EXIT_BAD_CONNECTION, c.failed(e));
            }
            if (!(a instanceof LeaseKeepAliveResponse r) || r.getTTL() <= 0) {
                throw CtlException.of(CtlException.EXIT_BAD_CONNECTION, "etcdserver: requested lease not found");
            }
            requests.onCompleted();
            return r;
        }

        private static Object take(BlockingQueue<Object> q) {
            try {
                Object a = q.take();
                return a instanceof Throwable t ? io.grpc.Status.fromThrowable(t).asRuntimeException() : a;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CtlException.of(CtlException.EXIT_INTERRUPTED, "interrupted");
            }
        }
    }
}
