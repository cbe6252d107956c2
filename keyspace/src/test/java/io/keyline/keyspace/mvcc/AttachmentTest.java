package io.keyline.keyspace.mvcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentTest {
    @TempDir
    Path dir;

    @Test
    void attachmentIsDurableWithTheCommitAndAbsentWhenDiscarded() {
        byte[] members = "a,b,c".getBytes(StandardCharsets.UTF_8);
        try (MvccStore store = MvccStore.open(dir.resolve("db"))) {
            try (MvccBatch discarded = store.newBatch()) {
                discarded.putAttachment("members", "x".getBytes(StandardCharsets.UTF_8));
            }
            assertNull(store.attachment("members"));
            MvccBatch batch = store.newBatch();
            batch.putAttachment("members", members);
            batch.commit(5, 1);
            assertArrayEquals(members, store.attachment("members"));
        }
        try (MvccStore reopened = MvccStore.open(dir.resolve("db"))) {
            assertArrayEquals(members, reopened.attachment("members"));
        }
    }
}
