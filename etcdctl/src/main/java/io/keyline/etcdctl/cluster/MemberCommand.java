package io.keyline.etcdctl.cluster;

import com.google.protobuf.Message;
import io.keyline.api.etcdserverpb.MemberAddRequest;
import io.keyline.api.etcdserverpb.MemberAddResponse;
import io.keyline.api.etcdserverpb.MemberListRequest;
import io.keyline.api.etcdserverpb.MemberListResponse;
import io.keyline.api.etcdserverpb.MemberPromoteRequest;
import io.keyline.api.etcdserverpb.MemberRemoveRequest;
import io.keyline.api.etcdserverpb.MemberUpdateRequest;
import io.keyline.api.etcdserverpb.Member;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.GoParse;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.GoText;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcdctl member add|remove|update|list|promote. */
@Command(name = "member", description = "Membership related commands", customSynopsis = "member <subcommand>")
public final class MemberCommand implements Runnable {
    private MemberCommand() {}

    public static CommandLine group(Ctl ctl) {
        CommandLine g = new CommandLine(new MemberCommand());
        g.addSubcommand(new Add(ctl));
        g.addSubcommand(new Remove(ctl));
        g.addSubcommand(new Update(ctl));
        g.addSubcommand(new ListMembers(ctl));
        g.addSubcommand(new Promote(ctl));
        return g;
    }

    @Override
    public void run() {}

    static long memberId(List<String> args) {
        if (args.size() != 1) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "member ID is not provided");
        }
        try {
            return GoParse.parseUint(args.get(0), 16);
        } catch (IllegalArgumentException e) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "bad member ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }

    /** add/remove/update/promote: a one-line message in simple, the wire message in json/protobuf. */
    static void changed(Output o, String simpleLine, Message r) {
        switch (o.format()) {
            case SIMPLE -> o.println(simpleLine);
            case JSON -> o.json(GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> o.protobuf(r);
            default -> throw o.unsupported();
        }
    }

    static String clusterHex(ResponseHeader h) {
        return GoText.hex16(h.getClusterId());
    }

    @Command(name = "add", description = "Adds a member into the cluster", customSynopsis = "add <memberName> [options]")
    static final class Add implements Runnable {
        private final Ctl ctl;
        @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the new member.")
        String peerUrls;
        @Option(names = "--learner", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "indicates if the new member is raft learner")
        boolean learner;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Add(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            if (args.isEmpty()) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "member name not provided");
            }
            if (args.size() > 1) {
                StringBuilder ev = new StringBuilder("too many arguments");
                for (String s : args) {
                    if (s.toLowerCase(Locale.ROOT).startsWith("http")) {
                        ev.append(", did you mean --peer-urls=").append(s);
                    }
                }
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, ev.toString());
            }
            String name = args.get(0);
            if (peerUrls.isEmpty()) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "member peer urls not provided");
            }
            List<String> urls = Arrays.asList(peerUrls.split(",", -1));
            PeerUrls.check(urls);
            MemberAddResponse resp;
            try (Connection c = ctl.connect()) {
                resp = c.call(() -> c.cluster().memberAdd(
                        MemberAddRequest.newBuilder().addAllPeerURLs(urls).setIsLearner(learner).build()));
            }
            Output o = ctl.output();
            long newId = resp.getMember().getID();
            changed(o, "Member " + GoText.hex16(newId) + " added to cluster " + clusterHex(resp.getHeader()), resp);
            if (o.format() == io.keyline.etcdctl.output.Format.SIMPLE) {
                List<String> conf = new ArrayList<>();
                for (Member m : resp.getMembersList()) {
                    for (String u : m.getPeerURLsList()) {
                        conf.add((m.getID() == newId ? name : m.getName()) + "=" + u);
                    }
                }
                o.print("\n");
                o.println("ETCD_NAME=" + GoText.quote(name));
                o.println("ETCD_INITIAL_CLUSTER=" + GoText.quote(String.join(",", conf)));
                o.println("ETCD_INITIAL_ADVERTISE_PEER_URLS=" + GoText.quote(peerUrls));
                o.println("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
            }
        }
    }

    @Command(name = "remove", description = "Removes a member from the cluster", customSynopsis = "remove <memberID>")
    static final class Remove implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Remove(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            long id = memberId(args);
            try (Connection c = ctl.connect()) {
                var resp = c.call(() -> c.cluster().memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()));
                changed(ctl.output(), "Member " + GoText.hex16(id) + " removed from cluster " + clusterHex(resp.getHeader()), resp);
            }
        }
    }

    @Command(name = "update", description = "Updates a member in the cluster", customSynopsis = "update <memberID> [options]")
    static final class Update implements Runnable {
        private final Ctl ctl;
        @Option(names = "--peer-urls", defaultValue = "", description = "comma separated peer URLs for the updated member.")
        String peerUrls;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Update(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            long id = memberId(args);
            if (peerUrls.isEmpty()) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "member peer urls not provided");
            }
            List<String> urls = Arrays.asList(peerUrls.split(",", -1));
            PeerUrls.check(urls);
            try (Connection c = ctl.connect()) {
                var resp = c.call(() -> c.cluster().memberUpdate(
                        MemberUpdateRequest.newBuilder().setID(id).addAllPeerURLs(urls).build()));
                changed(ctl.output(), "Member " + GoText.hex16(id) + " updated in cluster " + clusterHex(resp.getHeader()), resp);
            }
        }
    }

    @Command(name = "list", description = "Lists all members in the cluster", customSynopsis = "list",
            footer = "When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.\n"
                    + "The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.\n")
    static final class ListMembers implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        ListMembers(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            MemberListResponse resp;
            try (Connection c = ctl.connect()) {
                resp = c.call(() -> c.cluster().memberList(MemberListRequest.getDefaultInstance()));
            }
            MemberPrinter.list(ctl.output(), resp);
        }
    }

    @Command(name = "promote", description = "Promotes a non-voting member in the cluster", customSynopsis = "promote <memberID>",
            footer = "Promotes a non-voting learner member to a voting one in the cluster.\n")
    static final class Promote implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Promote(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            long id = memberId(args);
            try (Connection c = ctl.connect()) {
                var resp = c.call(() -> c.cluster().memberPromote(MemberPromoteRequest.newBuilder().setID(id).build()));
                changed(ctl.output(), "Member " + GoText.hex16(id) + " promoted in cluster " + clusterHex(resp.getHeader()), resp);
            }
        }
    }
}
