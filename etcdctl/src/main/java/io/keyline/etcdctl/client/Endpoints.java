package io.keyline.etcdctl.client;

import java.util.ArrayList;
import java.util.List;

/** etcdctl's endpoint strings: "host:port", "http://host:port" or "https://host:port". */
public final class Endpoints {
    private Endpoints() {}

    /** pflag's string-slice syntax: comma separated, blanks around each item trimmed. */
    public static List<String> split(String value) {
        List<String> eps = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            eps.add(s.trim());
        }
        return eps;
    }

    /** The host:port to dial. */
    public static String authority(String endpoint) {
        String s = endpoint;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }
}
