package io.keyline.benchmark.client;

import java.time.Duration;
import java.util.List;

/** What opening the connections needs from the global flags. */
public record ClientConfig(List<String> endpoints, int conns, int clients, boolean targetLeader, Duration dialTimeout,
                           String cert, String key, String cacert, boolean insecureSkipTlsVerify, String user) {

    public boolean tls() {
        return !cert.isEmpty() || !key.isEmpty() || !cacert.isEmpty() || insecureSkipTlsVerify
                || endpoints.stream().anyMatch(e -> e.startsWith("https://"));
    }
}
