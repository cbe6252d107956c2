package io.keyline.etcdctl.maintenance;

import io.grpc.StatusRuntimeException;
import io.keyline.api.etcdserverpb.DefragmentRequest;
import io.keyline.etcdctl.Ctl;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.output.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** etcdctl defrag: defragments each endpoint's backend, one after another. */
@Command(name = "defrag", description = "Defragments the storage of the etcd members with given endpoints",
        customSynopsis = "defrag")
public final class DefragCommand implements Runnable {
    private final Ctl ctl;

    @Option(names = "--cluster", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "use all endpoints from the cluster member list")
    boolean cluster;

    @Option(names = "--data-dir", defaultValue = "", description = "Optional. If present, defragments a data directory not in use by etcd.")
    String dataDir;

    @Parameters(arity = "0..*")
    List<String> args = new ArrayList<>();

    public DefragCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Override
    public void run() {
        if (!dataDir.isEmpty()) {
            // Offline defragmentation works on etcd's bbolt file, which Keyline does not have.
            ctl.err().println("Failed to defragment etcd data[" + dataDir + "] (offline defragmentation is not supported)");
            throw CtlException.silent(CtlException.EXIT_ERROR);
        }
        Output o = ctl.output();
        int failures = 0;
        for (String ep : io.keyline.etcdctl.cluster.Endpoints.of(ctl, cluster)) {
            try (Connection c = Connection.toMember(ctl.clientConfig(), ep)) {
                try {
                    c.maintenance().defragment(DefragmentRequest.getDefaultInstance());
                    o.println("Finished defragmenting etcd member[" + ep + "]");
                } catch (StatusRuntimeException e) {
                    o.errln("Failed to defragment etcd member[" + ep + "] (" + c.failed(e) + ")");
                    failures++;
                }
            }
        }
        if (failures != 0) {
            throw CtlException.silent(CtlException.EXIT_ERROR);
        }
    }
}
