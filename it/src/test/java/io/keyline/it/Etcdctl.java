package io.keyline.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code /usr/bin/etcdctl} (API v3) against one endpoint. */
public final class Etcdctl {

    static final Path BINARY = Paths.get("/usr/bin/etcdctl");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** What one etcdctl invocation produced. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit=" + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private final String endpoint;

    public Etcdctl(String endpoint) {
        this.endpoint = endpoint;
    }

    public Result run(String... args) {
        return runWithStdin(null, args);
    }

    public Result runWithStdin(String stdin, String... args) {
        return exec(stdin, DEFAULT_TIMEOUT, args);
    }

    public Result runWithTimeout(Duration timeout, String... args) {
        return exec(null, timeout, args);
    }

    private Result exec(String stdin, Duration timeout, String... args) {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("real etcdctl is required at " + BINARY);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(BINARY.toString());
        cmd.add("--endpoints=" + endpoint);
        cmd.addAll(Arrays.asList(args));
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("etcdctl", ".out");
            err = Files.createTempFile("etcdctl", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().put("ETCDCTL_API", "3");
            if (stdin != null) {
                in = Files.createTempFile("etcdctl", ".in");
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, Files.readString(out), Files.readString(err) + "\n(etcdctl timed out after " + timeout + ")");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            for (Path p : new Path[] {out, err, in}) {
                if (p != null) {
                    try { Files.deleteIfExists(p); } catch (IOException ignored) { /* temp file */ }
                }
            }
        }
    }
}
