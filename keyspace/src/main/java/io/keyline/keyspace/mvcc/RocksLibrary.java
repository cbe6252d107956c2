package io.keyline.keyspace.mvcc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from one copy per user and rocksdbjni jar. RocksDB's own loader
 * extracts a fresh 15 MB copy into the temp dir for every process and deletes it only on a clean
 * JVM exit, so every kill -9 or halt left one behind (1,621 of them, 24 GB, on a test machine).
 */
final class RocksLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(RocksLibrary.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private RocksLibrary() {
    }

    static void load() {
        try {
            Path dir = sharedCopyDir(Path.of(System.getProperty("java.io.tmpdir")));
            if (dir != null) {
                RocksDB.loadLibrary(List.of(dir.toString()));
                return;
            }
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn("cannot keep one copy of RocksDB's native library ({}); extracting a temporary one", e.toString());
        }
        RocksDB.loadLibrary();
    }

    /**
     * The directory holding this jar's library, created and filled once; null where that cannot be
     * done safely (no jar, no POSIX permissions, a directory someone else owns).
     */
    static Path sharedCopyDir(Path tmp) throws IOException, URISyntaxException {
        String resource = "/" + Environment.getJniLibraryFileName("rocksdb");
        // RocksDB.loadLibrary(paths) looks for the name built from "rocksdbjni" (librocksdbjnijni-...)
        String file = Environment.getJniLibraryFileName("rocksdbjni");
        Path jar = Path.of(RocksDB.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar) || RocksDB.class.getResource(resource) == null) {
            return null;
        }
        String user = System.getProperty("user.name");
        Path dir = tmp.resolve("keyline-rocksdbjni-" + user).resolve(jar.getFileName() + "-" + libraryStamp(jar, resource));
        try {
            Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException notADirectory) {
            return null;
        }
        // Only a directory this user alone can write may hold a library this process will load.
        if (!Files.getOwner(dir.getParent()).getName().equals(user)
                || !Files.getPosixFilePermissions(dir.getParent()).equals(OWNER_ONLY)) {
            return null;
        }
        Files.createDirectories(dir);
        Path lib = dir.resolve(file);
        if (!Files.exists(lib)) {
            // Written whole under another name, then renamed: a concurrent start sees all of it or none.
            Path part = Files.createTempFile(dir, file, ".part");
            try (InputStream in = RocksDB.class.getResourceAsStream(resource)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return dir;
    }

    /**
     * The library's checksum and size as the jar records them: every copy of the same jar (each build
     * and each test copies it anew, with a new modification time) shares one extracted library.
     */
    private static String libraryStamp(Path jar, String resource) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(resource.substring(1));
            if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                throw new IOException(jar + " records no checksum for " + resource);
            }
            return Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
        }
    }
}
