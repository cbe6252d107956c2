package io.keyline.etcdctl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tool with its own fresh etcd. Two sides run the same steps; what necessarily differs
 * between the two servers (ports, member and cluster ids, lease ids, file paths) is replaced by
 * names before comparing, and "$NAME" in a step's arguments becomes this side's value.
 */
final class Side {
    final EtcdServer etcd;
    final boolean real;
    final Map<String, String> vars = new LinkedHashMap<>();
    private final Map<String, String> masks = new LinkedHashMap<>();

    Side(EtcdServer etcd, boolean real) throws Exception {
        this.etcd = etcd;
        this.real = real;
        CtlRun m = Tools.etcdctl(etcd, "", Map.of(), "member", "list", "-w", "json");
        Matcher h = Pattern.compile("\"cluster_id\":(\\d+),\"member_id\":(\\d+)").matcher(m.stdout());
        if (!h.find()) {
            throw new AssertionError(m.toString());
        }
        id("CLUSTER", Long.parseUnsignedLong(h.group(1)));
        id("MEMBER", Long.parseUnsignedLong(h.group(2)));
        masks.put("127.0.0.1:" + etcd.clientPort, "127.0.0.1:CLIENTPORT");
        masks.put("127.0.0.1:" + etcd.peerPort, "127.0.0.1:PEERPORT");
    }

    /** Registers an id under a name: its decimal, hex, zero-padded and space-padded hex forms are masked. */
    void id(String name, long v) {
        String hex = Long.toUnsignedString(v, 16);
        vars.put(name, hex);
        masks.put(String.format("%016x", v), "<" + name + ">");
        // Where etcdctl pads (%16x after a space), an id with a leading zero nibble prints one space
        // wider; where it does not (types.ID), the bare form below matches.
        masks.put(" " + String.format("%16x", v), " <" + name + ">");
        masks.put(hex, "<" + name + ">");
        masks.put(Long.toUnsignedString(v), "<" + name + "#>");
    }

    void path(String name, String path) {
        vars.put(name, path);
        masks.put(path, "<" + name + ">");
    }

    CtlRun run(String stdin, String... args) throws Exception {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i];
            for (Map.Entry<String, String> v : vars.entrySet()) {
                a[i] = a[i].replace("$" + v.getKey(), v.getValue());
            }
        }
        return real ? Tools.etcdctl(etcd, stdin, Map.of(), a) : Tools.keylinectl(etcd, stdin, Map.of(), a);
    }

    String mask(String s) {
        for (Map.Entry<String, String> m : masks.entrySet()) {
            s = s.replace(m.getKey(), m.getValue());
        }
        return Masks.runToRun(s);
    }
}
