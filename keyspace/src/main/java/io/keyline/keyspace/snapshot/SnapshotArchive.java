package io.keyline.keyspace.snapshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file that Maintenance.Snapshot streams and {@code keyline snapshot restore} reads: a store
 * checkpoint's files, each as name, length and bytes, zero padding up to a multiple of 512 bytes,
 * then a SHA-256 of everything before it. That is the shape etcdctl checks when it saves an etcd
 * snapshot (a page-aligned body and a trailing SHA-256), and a truncated or altered file is
 * refused whole.
 */
public final class SnapshotArchive {
    static final byte[] MAGIC = "KEYLINE-SNAPSHOT-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_BYTES = 32;
    private static final int ALIGNMENT = 512;

    private SnapshotArchive() {
    }

    public static void write(Path checkpointDir, Path archive) throws IOException {
        MessageDigest sha = sha256();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive))) {
            DataOutputStream out = new DataOutputStream(new DigestOutputStream(file, sha));
            out.write(MAGIC);
            List<Path> files;
            try (Stream<Path> s = Files.walk(checkpointDir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            out.writeInt(files.size());
            for (Path f : files) {
                out.writeUTF(checkpointDir.relativize(f).toString());
                out.writeLong(Files.size(f));
                Files.copy(f, out);
            }
            out.write(new byte[(ALIGNMENT - out.size() % ALIGNMENT) % ALIGNMENT]);
            out.flush();
            file.write(sha.digest());
        }
    }

    /** Unpacks into {@code target}, which must not exist; on any integrity failure nothing is left there. */
    public static void restore(Path archive, Path target) throws IOException {
        verify(archive);
        Files.createDirectories(target);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            in.readNBytes(MAGIC.length);
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                Path to = target.resolve(in.readUTF()).normalize();
                if (!to.startsWith(target)) {
                    throw new IOException("snapshot names a file outside its directory: " + to);
                }
                Files.createDirectories(to.getParent());
                long length = in.readLong();
                try (OutputStream out = Files.newOutputStream(to)) {
                    copy(in, out, length);
                }
            }
        }
    }

    /** Checks the magic and the trailing SHA-256 without unpacking. */
    public static void verify(Path archive) throws IOException {
        long size = Files.size(archive);
        if (size < MAGIC.length + DIGEST_BYTES) {
            throw new IOException("snapshot file is too short to be a Keyline snapshot");
        }
        MessageDigest sha = sha256();
        byte[] expected;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            DigestInputStream in = new DigestInputStream(raw, sha);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a Keyline snapshot file");
            }
            copy(in, OutputStream.nullOutputStream(), size - MAGIC.length - DIGEST_BYTES);
            expected = raw.readNBytes(DIGEST_BYTES);
        }
        byte[] actual = sha.digest();
        if (!Arrays.equals(expected, actual)) {
            throw new IOException("snapshot file integrity check failed: expected sha256 "
                    + hex(expected) + ", got " + hex(actual));
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("snapshot file ends early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
