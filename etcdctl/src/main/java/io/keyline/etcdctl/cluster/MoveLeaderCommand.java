package io.keyline.etcdctl.cluster;

import io.keyline.api.etcdserverpb.MoveLeaderRequest;
import io.keyline.api.etcdserverpb.MoveLeaderResponse;
import io.keyline.api.etcdserverpb.StatusRequest;
import io.keyline.api.etcdserverpb.StatusResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.GoParse;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.GoText;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** etcdctl move-leader: finds the leader among --endpoints and asks it to hand over. */
@Command(name = "move-leader", description = "Transfers leadership to another etcd cluster member.",
        customSynopsis = "move-leader <transferee-member-id>")
public final class MoveLeaderCommand implements Runnable {
    private final Ctl ctl;
    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    public MoveLeaderCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Override
    public void run() {
        if (args.size() != 1) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "move-leader command needs 1 argument");
        }
        long target;
        try {
            target = GoParse.parseUint(args.get(0), 16);
        } catch (IllegalArgumentException e) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, e.getMessage());
        }
        Output o = ctl.output();
        List<String> eps = ctl.global().endpoints();
        for (String ep : eps) {
            try (Connection c = Connection.toCluster(ctl.clientConfig(), List.of(ep))) {
                StatusResponse st = c.call(() -> c.maintenance().status(StatusRequest.getDefaultInstance()));
                if (st.getHeader().getMemberId() != st.getLeader()) {
                    continue;
                }
                MoveLeaderResponse resp = c.call(() -> c.maintenance().moveLeader(
                        MoveLeaderRequest.newBuilder().setTargetID(target).build()));
                switch (o.format()) {
                    case SIMPLE -> o.println("Leadership transferred from " + GoText.hex(st.getLeader()) + " to " + GoText.hex(target));
                    case JSON -> o.json(GoJson.write(ProtoJson.of(resp)));
                    case PROTOBUF -> o.protobuf(resp);
                    default -> throw o.unsupported();
                }
                return;
            }
        }
        throw CtlException.of(CtlException.EXIT_BAD_ARGS, "no leader endpoint given at [" + String.join(" ", eps) + "]");
    }

}
