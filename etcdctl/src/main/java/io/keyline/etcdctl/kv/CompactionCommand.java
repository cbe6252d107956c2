package io.keyline.etcdctl.kv;

import io.keyline.api.etcdserverpb.CompactionRequest;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.GoParse;
import io.keyline.etcdctl.client.Connection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcdctl compaction: drops history before a revision. */
@Command(name = "compaction", description = "Compacts the event history in etcd",
        customSynopsis = "compaction [options] <revision>")
public final class CompactionCommand implements Runnable {
    private final Ctl ctl;

    @Option(names = "--physical", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "'true' to wait for compaction to physically remove all old revisions")
    boolean physical;

    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    public CompactionCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Override
    public void run() {
        if (args.size() != 1) {
            throw CtlException.of(CtlException.EXIT_BAD_ARGS, "compaction command needs 1 argument");
        }
        long rev;
        try {
            rev = GoParse.parseInt(args.get(0), 10);
        } catch (IllegalArgumentException e) {
            throw CtlException.of(CtlException.EXIT_ERROR, e.getMessage());
        }
        CompactionRequest req = CompactionRequest.newBuilder().setRevision(rev).setPhysical(physical).build();
        try (Connection c = ctl.connect()) {
            c.call(() -> c.kv().compact(req));
        }
        ctl.output().println("compacted revision " + rev);
    }
}
