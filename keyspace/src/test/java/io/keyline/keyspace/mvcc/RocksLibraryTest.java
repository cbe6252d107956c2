package io.keyline.keyspace.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksLibraryTest {

    /** Child JVM: loads the library one way, uses it, and halts as kill -9 would end it (no exit hooks). */
    public static void main(String[] args) {
        if (args[0].equals("keyline")) {
            RocksLibrary.load();
        } else {
            RocksDB.loadLibrary();
        }
        new Options().close();
        System.out.print("loaded");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    @Test
    void processesThatDieWithoutExitingShareOneCopyOfTheNativeLibrary(@TempDir Path tmp) throws Exception {
        assertLoaded(runChild(tmp, "rocksdb"));
        assertEquals(1, count(tmp, 1), "RocksDB's own loader leaves its copy behind");

        assertLoaded(runChild(tmp, "keyline"));
        assertLoaded(runChild(tmp, "keyline"));
        assertEquals(1, count(tmp, 1), "the two later processes left nothing in the temp dir itself");
        assertEquals(2, count(tmp, 3), "one shared copy besides the first process's");
    }

    @Test
    void copiesOfTheSameJarMadeAtDifferentTimesShareOneCopyOfTheNativeLibrary(@TempDir Path tmp) throws Exception {
        Path jar = Path.of(RocksDB.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path childTmp = Files.createDirectories(tmp.resolve("tmp"));
        for (int i = 0; i < 2; i++) {
            Path copy = Files.createDirectories(tmp.resolve("lib" + i)).resolve(jar.getFileName());
            Files.copy(jar, copy);
            Files.setLastModifiedTime(copy, FileTime.fromMillis(1_000_000_000L * (i + 1)));
            String classPath = System.getProperty("java.class.path").replace(jar.toString(), copy.toString());
            assertLoaded(runChild(childTmp, "keyline", classPath));
        }
        assertEquals(1, count(childTmp, 3), "a second copy of the same jar extracted the library again");
    }

    /** The child's output (stderr included, for the failure message) ends with its word. */
    private static void assertLoaded(String output) {
        if (!output.endsWith("loaded")) {
            throw new AssertionError("child JVM did not load the library:\n" + output);
        }
    }

    private static long count(Path tmp, int depth) throws Exception {
        try (Stream<Path> files = Files.walk(tmp, depth)) {
            return files.filter(f -> f.getFileName().toString().startsWith("librocksdbjni")
                    && f.getFileName().toString().endsWith(".so")).count();
        }
    }

    private static String runChild(Path tmp, String how) throws Exception {
        return runChild(tmp, how, System.getProperty("java.class.path"));
    }

    private static String runChild(Path tmp, String how, String classPath) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", classPath,
                RocksLibraryTest.class.getName(), how)).redirectErrorStream(true).start();
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
