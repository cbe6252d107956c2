package io.keyline.etcdctl.check;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A member's resident memory as its /metrics reports it (process_resident_memory_bytes). */
final class ResidentMemory {
    private static final String KEY = "process_resident_memory_bytes";

    private ResidentMemory() {}

    /** The bytes, or 0 after printing why they could not be read, as etcdctl does. */
    static double of(String endpoint, PrintStream out) {
        String host = endpoint.startsWith("http://") || endpoint.startsWith("https://") ? endpoint : "http://" + endpoint;
        String url = host + "/metrics";
        String body;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            out.println("fetch error: Get \"" + url + "\": " + e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        for (String line : body.split("\n")) {
            if (line.startsWith(KEY)) {
                try {
                    return Double.parseDouble(line.substring(KEY.length()).trim());
                } catch (NumberFormatException e) {
                    out.println("parse error: " + e.getMessage());
                    return 0;
                }
            }
        }
        out.println("could not find: " + KEY);
        return 0;
    }
}
