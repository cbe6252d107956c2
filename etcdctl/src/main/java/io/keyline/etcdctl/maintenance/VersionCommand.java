package io.keyline.etcdctl.maintenance;

import io.keyline.etcdctl.Ctl;
import picocli.CommandLine.Command;

/** etcdctl version: keylinectl reports the etcdctl release whose behaviour it follows. */
@Command(name = "version", description = "Prints the version of etcdctl", customSynopsis = "version")
public final class VersionCommand implements Runnable {
    public static final String VERSION = "3.4.23";
    public static final String API_VERSION = "3.4";
    private final Ctl ctl;

    @picocli.CommandLine.Parameters(arity = "0..*")
    java.util.List<String> args = new java.util.ArrayList<>();

    public VersionCommand(Ctl ctl) {
        this.ctl = ctl;
    }

    @Override
    public void run() {
        ctl.out().println("etcdctl version: " + VERSION);
        ctl.out().println("API version: " + API_VERSION);
    }
}
