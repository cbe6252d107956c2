package io.keyline.keyspace.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotArchiveTest {
    @TempDir
    Path dir;

    private Path archiveOfStoreWithOneKey() throws IOException {
        try (MvccStore store = MvccStore.open(dir.resolve("db"))) {
            MvccBatch b = store.newBatch();
            b.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("foo"))
                    .setValue(ByteString.copyFromUtf8("bar")).build());
            b.putAttachment("members", new byte[] {1});
            b.commit(42, 3);
            store.checkpoint(dir.resolve("cp"));
        }
        Path archive = dir.resolve("snap.db");
        SnapshotArchive.write(dir.resolve("cp"), archive);
        return archive;
    }

    @Test
    void restoredStoreHasTheDataAtItsRevisionAndNoReplicationState() throws IOException {
        Path archive = archiveOfStoreWithOneKey();
        SnapshotArchive.restore(archive, dir.resolve("restored"));
        try (MvccStore store = MvccStore.open(dir.resolve("restored"))) {
            store.forgetReplicationState();
            assertEquals(2, store.currentRevision());
            assertEquals("bar", store.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("foo")).build())
                    .getKvs(0).getValue().toStringUtf8());
            assertEquals(0, store.appliedIndex());
            assertNull(store.attachment("members"));
        }
    }

    @Test
    void alteredOrTruncatedFileIsRefusedAndNothingIsUnpacked() throws IOException {
        Path archive = archiveOfStoreWithOneKey();
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        IOException e = assertThrows(IOException.class, () -> SnapshotArchive.restore(archive, dir.resolve("bad")));
        assertTrue(e.getMessage().contains("integrity check failed"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bad")));

        Path cut = dir.resolve("cut.db");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(archiveOfStoreWithOneKeyAgain()), 10));
        assertThrows(IOException.class, () -> SnapshotArchive.restore(cut, dir.resolve("bad2")));
        assertFalse(Files.exists(dir.resolve("bad2")));
    }

    private Path archiveOfStoreWithOneKeyAgain() throws IOException {
        Path cp = dir.resolve("cp2");
        try (MvccStore store = MvccStore.open(dir.resolve("db"))) {
            store.checkpoint(cp);
        }
        Path archive = dir.resolve("snap2.db");
        SnapshotArchive.write(cp, archive);
        return archive;
    }
}
