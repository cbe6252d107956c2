package io.keyline.etcdctl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real etcdctl (a process) and keylinectl (in-process, or as a process) the same way. */
final class Tools {
    static final String ETCDCTL = "/usr/bin/etcdctl";

    private Tools() {}

    static CtlRun etcdctl(EtcdServer s, String stdin, Map<String, String> env, String... args) throws Exception {
        assertExists();
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(baseEnv(s, env));
        return runProcess(pb, stdin, 30);
    }

    static CtlRun keylinectl(EtcdServer s, String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = KeylineCtl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e,
                baseEnv(s, env));
        return new CtlRun(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
    }

    /** keylinectl as its own JVM, for commands that run until killed (watch). */
    static ProcessBuilder keylinectlProcess(EtcdServer s, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                KeylineCtl.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(baseEnv(s, env));
        return pb;
    }

    static ProcessBuilder etcdctlProcess(EtcdServer s, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(baseEnv(s, env));
        return pb;
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static void assertExists() {
        if (!new File(ETCDCTL).canExecute()) {
            throw new AssertionError(ETCDCTL + " is needed as the reference client");
        }
    }

    /** Only what the test sets, plus PATH and the endpoint; ETCDCTL_API=3 as users commonly have it. */
    private static Map<String, String> baseEnv(EtcdServer s, Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        m.put("ETCDCTL_API", "3");
        if (s != null && !env.containsKey("NO_ENDPOINT")) {
            m.put("ETCDCTL_ENDPOINTS", s.endpoint());
        }
        env.forEach((k, v) -> {
            if (!k.equals("NO_ENDPOINT")) {
                m.put(k, v);
            }
        });
        return m;
    }

    static CtlRun runProcess(ProcessBuilder pb, String stdin, int timeoutSeconds) throws Exception {
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException ignored) {
                // process gone
            }
        });
        t.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + pb.command());
        }
        t.join();
        return new CtlRun(new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), p.exitValue());
    }
}
