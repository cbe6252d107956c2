package io.keyline.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalizes one server's output so that two servers' outputs can be compared byte for byte.
 *
 * <p>Only what legitimately differs between two fresh single-member clusters is masked:
 * <ul>
 *   <li>cluster id and member id (this server's exact member id, decimal and hex, wherever it
 *       appears, e.g. as {@code leader} or a member {@code ID}; any {@code cluster_id} /
 *       {@code member_id} header field),</li>
 *   <li>raft term (in {@code -w json}, {@code -w fields}, protobuf text and the
 *       {@code endpoint status} table),</li>
 *   <li>this server's client and peer ports,</li>
 *   <li>in {@code endpoint status}: the server version string and the db size (and
 *       {@code dbSizeInUse}), since Keyline's storage is not bbolt,</li>
 *   <li>etcdctl's own noise: the {@code "ts"} timestamp and client UUID in its retry log
 *       lines, and the latency in {@code endpoint health}.</li>
 * </ul>
 * Raft indexes are masked too: etcd logs entries Keyline has no need of (a ConfChange per
 * member, the cluster version, each member's attributes), so the counts differ by design.
 * Revisions, keys, values, versions, counts and error messages are never masked.
 */
public final class Mask {

    private static final Pattern JSON_IDS = Pattern.compile(
            "\"(cluster_id|member_id|raft_term|raftTerm)\":\\d+");
    private static final Pattern FIELDS_IDS = Pattern.compile(
            "\"(ClusterID|MemberID|RaftTerm|RaftIndex|RaftAppliedIndex|DBSize|DBSizeInUse)\" : \\d+");
    private static final Pattern FIELDS_VERSION = Pattern.compile("\"Version\" : \"[^\"]*\"");
    private static final Pattern TOOK_JSON = Pattern.compile("\"took\":\"[^\"]*\"");
    private static final Pattern PROTO_IDS = Pattern.compile(
            "\\b(cluster_id|member_id|raft_term): \\d+");
    private static final Pattern STATUS_JSON = Pattern.compile(
            "\"(version)\":\"[^\"]*\"|\"(dbSize|dbSizeInUse|raftIndex|raftAppliedIndex)\":\\d+");
    private static final Pattern TS = Pattern.compile("\"ts\":\"[^\"]*\"");
    private static final Pattern CLIENT_UUID = Pattern.compile("client-[0-9a-f]{8}-[0-9a-f-]{27}");
    private static final Pattern TOOK = Pattern.compile("took = [0-9.]+[a-zµ]+");
    /** endpoint status -w simple: ENDPOINT, ID, VERSION, DB SIZE, IS LEADER, IS LEARNER, RAFT TERM, ... */
    private static final Pattern STATUS_ROW = Pattern.compile(
            "(?m)^(http://127\\.0\\.0\\.1:<client-port>, )(?:<member-id>|[0-9a-f]+), [^,]*, [^,]*(, (?:true|false), (?:true|false), )\\d+, \\d+, \\d+(,)");
    /** member list -w simple: ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER. */
    private static final Pattern MEMBER_ROW = Pattern.compile(
            "(?m)^[0-9a-f]+(, (?:started|unstarted), )");

    private static final Pattern MEMBER_ID_JSON = Pattern.compile("\"member_id\":(\\d+)");

    private final int clientPort;
    private final int peerPort;
    /** This server's member id, unsigned decimal and hex, as etcdctl prints it. */
    private final String memberIdDecimal;
    private final String memberIdHex;

    Mask(int clientPort, int peerPort, String memberIdDecimal) {
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.memberIdDecimal = memberIdDecimal;
        this.memberIdHex = Long.toHexString(Long.parseUnsignedLong(memberIdDecimal));
    }

    /** The mask for a running server; learns its member id through {@code endpoint status}. */
    public static Mask of(ServerProcess server) {
        Etcdctl.Result status = server.etcdctl().run("endpoint", "status", "-w", "json");
        Matcher m = MEMBER_ID_JSON.matcher(status.stdout());
        if (status.exitCode() != 0 || !m.find()) {
            throw new AssertionError("cannot learn the member id of " + server + ": " + status);
        }
        return new Mask(server.clientPort(), server.peerPort(), m.group(1));
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String s = text;
        s = s.replace("127.0.0.1:" + clientPort, "127.0.0.1:<client-port>")
             .replace("localhost:" + clientPort, "localhost:<client-port>")
             .replace("127.0.0.1:" + peerPort, "127.0.0.1:<peer-port>")
             .replace("localhost:" + peerPort, "localhost:<peer-port>");
        s = s.replaceAll("\\b" + memberIdDecimal + "\\b", "<member-id>")
             .replaceAll("\\b" + memberIdHex + "\\b", "<member-id>");
        s = JSON_IDS.matcher(s).replaceAll("\"$1\":<masked>");
        s = FIELDS_IDS.matcher(s).replaceAll("\"$1\" : <masked>");
        s = PROTO_IDS.matcher(s).replaceAll("$1: <masked>");
        s = STATUS_JSON.matcher(s).replaceAll(m -> m.group(1) != null
                ? "\"" + m.group(1) + "\":\"<masked>\""
                : "\"" + m.group(2) + "\":<masked>");
        s = FIELDS_VERSION.matcher(s).replaceAll("\"Version\" : \"<masked>\"");
        s = TOOK_JSON.matcher(s).replaceAll("\"took\":\"<latency>\"");
        s = TS.matcher(s).replaceAll("\"ts\":\"<ts>\"");
        s = CLIENT_UUID.matcher(s).replaceAll("client-<uuid>");
        s = TOOK.matcher(s).replaceAll("took = <latency>");
        s = STATUS_ROW.matcher(s).replaceAll("$1<member-id>, <version>, <db-size>$2<raft-term>, <raft-index>, <raft-applied-index>$3");
        s = MEMBER_ROW.matcher(s).replaceAll("<member-id>$1");
        return s;
    }

}
