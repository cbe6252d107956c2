package io.keyline.etcdctl.cluster;

import io.keyline.etcdctl.CtlException;
import java.util.List;

/**
 * clientv3's fail-fast check of peer URLs before member add and update (etcd's types.NewURLs),
 * with Go's messages: a scheme among http, https, unix, unixs; a host:port; no path.
 */
final class PeerUrls {
    private PeerUrls() {
    }

    static void check(List<String> urls) {
        if (urls.isEmpty()) {
            throw fail("no valid URLs given");
        }
        for (String raw : urls) {
            String in = raw.trim();
            int colon = in.indexOf(':');
            int slash = in.indexOf('/');
            boolean hasScheme = colon > 0 && Character.isLetter(in.charAt(0)) && (slash < 0 || colon < slash)
                    && in.substring(0, colon).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.');
            if (!hasScheme && colon >= 0 && (slash < 0 || colon < slash)) {
                throw fail("parse \"" + in + "\": first path segment in URL cannot contain colon");
            }
            String scheme = hasScheme ? in.substring(0, colon) : "";
            if (!List.of("http", "https", "unix", "unixs").contains(scheme)) {
                throw fail("URL scheme must be http, https, unix, or unixs: " + in);
            }
            String rest = in.substring(colon + 1);
            String host = "";
            String path = rest;
            if (rest.startsWith("//")) {
                int end = rest.indexOf('/', 2);
                host = end < 0 ? rest.substring(2) : rest.substring(2, end);
                path = end < 0 ? "" : rest.substring(end);
                host = host.substring(host.indexOf('@') + 1);
            }
            int portColon = host.lastIndexOf(':');
            if (portColon < 0 || host.lastIndexOf(']') > portColon) {
                throw fail("URL address does not have the form \"host:port\": " + in);
            }
            if (!path.isEmpty()) {
                throw fail("URL must not contain a path: " + in);
            }
        }
    }

    private static CtlException fail(String message) {
        return CtlException.of(CtlException.EXIT_ERROR, message);
    }
}
