package io.keyline.benchmark;

import io.keyline.benchmark.client.ClientConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * etcd benchmark's persistent flags. They may come before or after the subcommand (cobra's
 * persistent flags); picocli's inherited options call these setters on this one instance either way.
 */
public final class GlobalOptions {
    private final List<String> endpoints = new ArrayList<>(List.of("127.0.0.1:2379"));
    private boolean endpointsSet;
    int conns = 1;
    int clients = 1;
    boolean precise;
    boolean targetLeader;
    Duration dialTimeout = Duration.ZERO;
    String cert = "";
    String key = "";
    String cacert = "";
    boolean insecureSkipTlsVerify;
    String user = "";

    /** Where the live progress bar goes; null for none (the comparison runs without it). */
    PrintStream progress = System.err;

    @Option(names = "--endpoints", scope = ScopeType.INHERIT, paramLabel = "strings", description = "gRPC endpoints (default [127.0.0.1:2379])")
    void endpoints(String v) {
        // pflag's string slice: the first use replaces the default, later uses append
        if (!endpointsSet) {
            endpoints.clear();
            endpointsSet = true;
        }
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                endpoints.add(s.trim());
            }
        }
    }

    @Option(names = "--conns", scope = ScopeType.INHERIT, paramLabel = "uint", description = "Total number of gRPC connections (default 1)")
    void conns(int v) {
        conns = positive("--conns", v);
    }

    @Option(names = "--clients", scope = ScopeType.INHERIT, paramLabel = "uint", description = "Total number of gRPC clients (default 1)")
    void clients(int v) {
        clients = positive("--clients", v);
    }

    @Option(names = "--precise", scope = ScopeType.INHERIT, description = "use full floating point precision")
    void precise(boolean v) {
        precise = v;
    }

    @Option(names = "--target-leader", scope = ScopeType.INHERIT, description = "connect only to the leader node")
    void targetLeader(boolean v) {
        targetLeader = v;
    }

    @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, paramLabel = "duration", description = "dial timeout for client connections (e.g. 5s; default 0, wait forever)")
    void dialTimeout(String v) {
        dialTimeout = GoDuration.parse(v);
    }

    @Option(names = "--cert", scope = ScopeType.INHERIT, paramLabel = "string", description = "identify HTTPS client using this SSL certificate file")
    void cert(String v) {
        cert = v;
    }

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "string", description = "identify HTTPS client using this SSL key file")
    void key(String v) {
        key = v;
    }

    @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "string", description = "verify certificates of HTTPS-enabled servers using this CA bundle")
    void cacert(String v) {
        cacert = v;
    }

    @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT, description = "skip server certificate verification")
    void insecureSkipTlsVerify(boolean v) {
        insecureSkipTlsVerify = v;
    }

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "string", description = "provide username[:password] (no prompt: give the password)")
    void user(String v) {
        user = v;
    }

    public List<String> endpoints() {
        return List.copyOf(endpoints);
    }

    public int conns() {
        return conns;
    }

    public int clients() {
        return clients;
    }

    public boolean precise() {
        return precise;
    }

    public PrintStream progress() {
        return progress;
    }

    public ClientConfig clientConfig() {
        return new ClientConfig(endpoints(), conns, clients, targetLeader, dialTimeout, cert, key, cacert,
                insecureSkipTlsVerify, user);
    }

    private static int positive(String flag, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(flag + " must be positive, got " + v);
        }
        return v;
    }
}
