package io.keyline.etcdctl;

import io.keyline.etcdctl.client.Endpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * etcdctl's global flags. They may appear anywhere on the line, and each one left unset may come
 * from ETCDCTL_&lt;FLAG&gt; (upper case, '-' as '_'); a flag set both ways is a fatal conflict.
 * Setters record which flags the command line set, since env values apply only to the rest.
 */
public final class GlobalOptions {
    private final Set<String> changed = new LinkedHashSet<>();

    List<String> endpoints = new ArrayList<>(List.of("127.0.0.1:2379"));
    boolean debug;
    String writeOut = "simple";
    boolean hex;
    Duration dialTimeout = Duration.ofSeconds(2);
    Duration commandTimeout = Duration.ofSeconds(5);
    Duration keepAliveTime = Duration.ofSeconds(2);
    Duration keepAliveTimeout = Duration.ofSeconds(6);
    boolean insecureTransport = true;
    boolean insecureDiscovery = true;
    boolean insecureSkipTlsVerify;
    String cert = "";
    String key = "";
    String cacert = "";
    String user = "";
    String password = "";
    String discoverySrv = "";
    String discoverySrvName = "";

    /** Flag names, in the order etcdctl declares them; the env variable names derive from these. */
    static final List<String> NAMES = List.of("endpoints", "debug", "write-out", "hex", "dial-timeout",
            "command-timeout", "keepalive-time", "keepalive-timeout", "insecure-transport",
            "insecure-discovery", "insecure-skip-tls-verify", "cert", "key", "cacert", "user", "password",
            "discovery-srv", "discovery-srv-name");

    @Option(names = "--endpoints", scope = ScopeType.INHERIT, paramLabel = "v", description = "gRPC endpoints")
    void endpoints(String v) {
        // pflag's string slice: the first use replaces the default, later ones append.
        if (changed.add("endpoints")) {
            endpoints = new ArrayList<>();
        }
        endpoints.addAll(Endpoints.split(v));
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true", description = "enable client-side debug logging")
    void debug(String v) {
        changed.add("debug");
        debug = Flags.bool("debug", v);
    }

    @Option(names = {"-w", "--write-out"}, scope = ScopeType.INHERIT, paramLabel = "v", description = "set the output format (fields, json, protobuf, simple, table)")
    void writeOut(String v) {
        changed.add("write-out");
        writeOut = v;
    }

    @Option(names = "--hex", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true", description = "print byte strings as hex encoded strings")
    void hex(String v) {
        changed.add("hex");
        hex = Flags.bool("hex", v);
    }

    @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, paramLabel = "v", description = "dial timeout for client connections")
    void dialTimeout(String v) {
        changed.add("dial-timeout");
        dialTimeout = Flags.duration("dial-timeout", v);
    }

    @Option(names = "--command-timeout", scope = ScopeType.INHERIT, paramLabel = "v", description = "timeout for short running command (excluding dial timeout)")
    void commandTimeout(String v) {
        changed.add("command-timeout");
        commandTimeout = Flags.duration("command-timeout", v);
    }

    @Option(names = "--keepalive-time", scope = ScopeType.INHERIT, paramLabel = "v", description = "keepalive time for client connections")
    void keepAliveTime(String v) {
        changed.add("keepalive-time");
        keepAliveTime = Flags.duration("keepalive-time", v);
    }

    @Option(names = "--keepalive-timeout", scope = ScopeType.INHERIT, paramLabel = "v", description = "keepalive timeout for client connections")
    void keepAliveTimeout(String v) {
        changed.add("keepalive-timeout");
        keepAliveTimeout = Flags.duration("keepalive-timeout", v);
    }

    @Option(names = "--insecure-transport", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true", description = "disable transport security for client connections")
    void insecureTransport(String v) {
        changed.add("insecure-transport");
        insecureTransport = Flags.bool("insecure-transport", v);
    }

    @Option(names = "--insecure-discovery", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true", description = "accept insecure SRV records describing cluster endpoints")
    void insecureDiscovery(String v) {
        changed.add("insecure-discovery");
        insecureDiscovery = Flags.bool("insecure-discovery", v);
    }

    @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true", description = "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)")
    void insecureSkipTlsVerify(String v) {
        changed.add("insecure-skip-tls-verify");
        insecureSkipTlsVerify = Flags.bool("insecure-skip-tls-verify", v);
    }

    @Option(names = "--cert", scope = ScopeType.INHERIT, paramLabel = "v", description = "identify secure client using this TLS certificate file")
    void cert(String v) {
        changed.add("cert");
        cert = v;
    }

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "v", description = "identify secure client using this TLS key file")
    void key(String v) {
        changed.add("key");
        key = v;
    }

    @Option(names = "--cacert", scope = ScopeType.INHERIT, paramLabel = "v", description = "verify certificates of TLS-enabled secure servers using this CA bundle")
    void cacert(String v) {
        changed.add("cacert");
        cacert = v;
    }

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "v", description = "username[:password] for authentication (prompt if password is not supplied)")
    void user(String v) {
        changed.add("user");
        user = v;
    }

    @Option(names = "--password", scope = ScopeType.INHERIT, paramLabel = "v", description = "password for authentication (if this option is used, --user option shouldn't include password)")
    void password(String v) {
        changed.add("password");
        password = v;
    }

    @Option(names = {"-d", "--discovery-srv"}, scope = ScopeType.INHERIT, paramLabel = "v", description = "domain name to query for SRV records describing cluster endpoints")
    void discoverySrv(String v) {
        changed.add("discovery-srv");
        discoverySrv = v;
    }

    @Option(names = "--discovery-srv-name", scope = ScopeType.INHERIT, paramLabel = "v", description = "service name to query when using DNS discovery")
    void discoverySrvName(String v) {
        changed.add("discovery-srv-name");
        discoverySrvName = v;
    }

    /** cobra's -h/--help, which every command has; documented by Usage itself. */
    boolean help;

    @Option(names = {"-h", "--help"}, scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true")
    void help(String v) {
        help = Flags.bool("help", v);
    }

    boolean isChanged(String name) {
        return changed.contains(name);
    }

    /** Sets a flag from its environment variable, as etcd's pkg/flags does (no "changed" mark). */
    void setFromEnv(String name, String v) {
        Set<String> before = new LinkedHashSet<>(changed);
        switch (name) {
            case "endpoints" -> endpoints(v);
            case "debug" -> debug(v);
            case "write-out" -> writeOut(v);
            case "hex" -> hex(v);
            case "dial-timeout" -> dialTimeout(v);
            case "command-timeout" -> commandTimeout(v);
            case "keepalive-time" -> keepAliveTime(v);
            case "keepalive-timeout" -> keepAliveTimeout(v);
            case "insecure-transport" -> insecureTransport(v);
            case "insecure-discovery" -> insecureDiscovery(v);
            case "insecure-skip-tls-verify" -> insecureSkipTlsVerify(v);
            case "cert" -> cert(v);
            case "key" -> key(v);
            case "cacert" -> cacert(v);
            case "user" -> user(v);
            case "password" -> password(v);
            case "discovery-srv" -> discoverySrv(v);
            case "discovery-srv-name" -> discoverySrvName(v);
            default -> throw new IllegalArgumentException(name);
        }
        changed.clear();
        changed.addAll(before);
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public boolean hexOutput() {
        return hex;
    }

    public String writeOut() {
        return writeOut;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public boolean commandTimeoutSet() {
        return changed.contains("command-timeout");
    }
}
