package io.keyline.etcdctl.client;

import io.keyline.etcdctl.output.GoJson;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The warning etcd's Go client logs (JSON, on stderr) for every failed unary call. etcdctl users
 * see it before the "Error:" line, and scripts that compare stderr see it too, so we print it.
 */
final class ClientLog {
    // zap's ISO8601 encoder: millisecond precision, "Z" or "+0100" zone.
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX");

    private ClientLog() {}

    static void unaryFailed(PrintStream err, String target, String errorText) {
        Map<String, Object> line = GoJson.object();
        line.put("level", "warn");
        line.put("ts", ZonedDateTime.now().format(TS));
        line.put("caller", "clientv3/retry_interceptor.go:62");
        line.put("msg", "retrying of unary invoker failed");
        line.put("target", target);
        line.put("attempt", 0);
        line.put("error", errorText);
        byte[] b = (GoJson.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        err.write(b, 0, b.length);
    }
}
