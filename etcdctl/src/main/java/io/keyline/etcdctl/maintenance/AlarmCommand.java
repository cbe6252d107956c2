package io.keyline.etcdctl.maintenance;

import io.keyline.api.etcdserverpb.AlarmMember;
import io.keyline.api.etcdserverpb.AlarmRequest;
import io.keyline.api.etcdserverpb.AlarmResponse;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Fields;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** etcdctl alarm list|disarm. */
@Command(name = "alarm", description = "Alarm related commands", customSynopsis = "alarm <subcommand>")
public final class AlarmCommand implements Runnable {
    private AlarmCommand() {}

    public static CommandLine group(Ctl ctl) {
        CommandLine g = new CommandLine(new AlarmCommand());
        g.addSubcommand(new Disarm(ctl));
        g.addSubcommand(new ListAlarms(ctl));
        return g;
    }

    @Override
    public void run() {}

    static void print(Output o, AlarmResponse r) {
        switch (o.format()) {
            // Go prints the gogoproto text form with %+v: "memberID:1 alarm:NOSPACE ".
            case SIMPLE -> r.getAlarmsList().forEach(a -> o.println("memberID:" + Long.toUnsignedString(a.getMemberID())
                    + " alarm:" + a.getAlarm().name() + " "));
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                for (AlarmMember a : r.getAlarmsList()) {
                    Fields.line(o, "MemberID", Long.toUnsignedString(a.getMemberID()));
                    Fields.line(o, "AlarmType", a.getAlarm().name());
                    o.println("");
                }
            }
            case JSON -> o.json(GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> o.protobuf(r);
            default -> throw o.unsupported();
        }
    }

    @Command(name = "disarm", description = "Disarms all alarms", customSynopsis = "disarm")
    static final class Disarm implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        Disarm(Ctl ctl) {
            this.ctl = ctl;
        }

        /** Like the Go client: list the alarms, then deactivate each; the answer has no header. */
        @Override
        public void run() {
            if (!args.isEmpty()) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "alarm disarm command accepts no arguments");
            }
            AlarmResponse.Builder all = AlarmResponse.newBuilder();
            try (Connection c = ctl.connect()) {
                AlarmResponse list = c.call(() -> c.maintenance().alarm(
                        AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build()));
                for (AlarmMember a : list.getAlarmsList()) {
                    AlarmResponse r = c.call(() -> c.maintenance().alarm(AlarmRequest.newBuilder()
                            .setAction(AlarmRequest.AlarmAction.DEACTIVATE).setMemberID(a.getMemberID()).setAlarm(a.getAlarm()).build()));
                    all.addAllAlarms(r.getAlarmsList());
                }
            }
            print(ctl.output(), all.build());
        }
    }

    @Command(name = "list", description = "Lists all alarms", customSynopsis = "list")
    static final class ListAlarms implements Runnable {
        private final Ctl ctl;
        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();

        ListAlarms(Ctl ctl) {
            this.ctl = ctl;
        }

        @Override
        public void run() {
            if (!args.isEmpty()) {
                throw CtlException.of(CtlException.EXIT_BAD_ARGS, "alarm list command accepts no arguments");
            }
            AlarmResponse r;
            try (Connection c = ctl.connect()) {
                r = c.call(() -> c.maintenance().alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build()));
            }
            print(ctl.output(), r);
        }
    }
}
