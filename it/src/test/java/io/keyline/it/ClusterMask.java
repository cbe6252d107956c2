package io.keyline.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalizes etcdctl output from one cluster so that two clusters (real etcd and Keyline) can be
 * compared: each member's ports and id become its index ({@code <client-0>}, {@code <m0>}), ids
 * handed out by MemberAdd become {@code <new-k>}, the cluster id, etcdctl's noise and what
 * {@link Mask} masks in {@code endpoint status} are masked. Member ids differ between the two
 * clusters and etcd lists members by id, so lines are compared sorted (and the entries of
 * {@code ETCD_INITIAL_CLUSTER}, which follows the member list's order), with runs of spaces
 * collapsed (etcdctl pads ids and table cells to the ids' widths).
 */
final class ClusterMask {
    private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster");
    private static final Pattern CLUSTER = Pattern.compile("cluster +[0-9a-f]+\\b");
    private static final Pattern TS = Pattern.compile("\"ts\":\"[^\"]*\"");
    private static final Pattern CLIENT_UUID = Pattern.compile("client-[0-9a-f]{8}-[0-9a-f-]{27}");
    private static final Pattern TOOK = Pattern.compile("took = [0-9.]+[a-zµ]+");
    private static final Pattern STATUS_ROW = Pattern.compile(
            "(?m)^(http://127\\.0\\.0\\.1:<client-\\d+>, <m\\d+>), [^,]*, [^,]*(, (?:true|false), (?:true|false), )\\d+, \\d+, \\d+(,)");
    private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]*)\"");

    private final Map<String, String> ports = new LinkedHashMap<>();
    private final Map<String, String> ids = new LinkedHashMap<>();
    private int added;

    ClusterMask(KeylineCluster c) {
        for (int i = 0; i < c.size(); i++) {
            ports.put(port(c.clientUrl(i)), "client-" + i);
            ports.put(port(c.peerUrl(i)), "peer-" + i);
            id(c.memberId(i), "m" + i);
        }
    }

    /** A peer URL made up by the test, under its own label. */
    void port(String url, String label) {
        ports.put(port(url), label);
    }

    private void id(long id, String label) {
        ids.put(Long.toHexString(id), label);
        ids.put(Long.toUnsignedString(id), label);
    }

    private static String port(String url) {
        return url.substring(url.lastIndexOf(':') + 1);
    }

    String apply(Etcdctl.Result r) {
        Matcher m = ADDED.matcher(r.stdout());
        if (m.find() && !ids.containsKey(m.group(1))) {
            id(Long.parseUnsignedLong(m.group(1), 16), "new-" + added++);
        }
        return "exit " + r.exitCode() + "\n--- stdout\n" + normalize(r.stdout()) + "\n--- stderr\n" + normalize(r.stderr());
    }

    /** The id MemberAdd gave in the last output of this cluster. */
    static long addedId(Etcdctl.Result r) {
        Matcher m = ADDED.matcher(r.stdout());
        if (!m.find()) {
            throw new AssertionError("no member added: " + r);
        }
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    private String normalize(String text) {
        String s = text;
        for (Map.Entry<String, String> p : ports.entrySet()) {
            s = s.replaceAll("127\\.0\\.0\\.1:" + p.getKey() + "\\b", "127.0.0.1:<" + p.getValue() + ">");
        }
        for (Map.Entry<String, String> id : ids.entrySet()) {
            s = s.replaceAll("\\b" + id.getKey() + "\\b", "<" + id.getValue() + ">");
        }
        s = CLUSTER.matcher(s).replaceAll("cluster <cluster-id>");
        s = TS.matcher(s).replaceAll("\"ts\":\"<ts>\"");
        s = CLIENT_UUID.matcher(s).replaceAll("client-<uuid>");
        s = TOOK.matcher(s).replaceAll("took = <latency>");
        s = STATUS_ROW.matcher(s).replaceAll("$1, <version>, <db-size>$2<raft-term>, <raft-index>, <raft-applied-index>$3");
        s = INITIAL_CLUSTER.matcher(s).replaceAll(m -> {
            List<String> entries = new ArrayList<>(Arrays.asList(m.group(1).split(",")));
            entries.sort(null);
            return Matcher.quoteReplacement("ETCD_INITIAL_CLUSTER=\"" + String.join(",", entries) + "\"");
        });
        // etcdctl pads ids to 16 hex digits with spaces and centres table cells: widths follow the ids.
        s = s.replaceAll(" {2,}", " ");
        List<String> lines = new ArrayList<>(s.lines().toList());
        lines.sort(null);
        return String.join("\n", lines);
    }
}
