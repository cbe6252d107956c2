package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommonPoolFloorTest {

    /** Run in a child JVM that sees two processors: prints whether async tasks share the common pool. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("apply")) {
            CommonPoolFloor.apply();
        }
        System.out.print(new CompletableFuture<Void>().defaultExecutor() == ForkJoinPool.commonPool());
    }

    @Test
    void onTwoProcessorsAsyncTasksShareTheCommonPoolInsteadOfAThreadEach() throws Exception {
        assertEquals("false", runOnTwoProcessors(), "without the floor the JDK starts a thread per task");
        assertEquals("true", runOnTwoProcessors("apply"));
    }

    private static String runOnTwoProcessors(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=2", "-cp", System.getProperty("java.class.path"),
                CommonPoolFloorTest.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM did not exit");
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
