package io.keyline.keyspace.mvcc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Keys and value codec of the {@code meta} column family; every value is an 8-byte big-endian long. */
final class Meta {
    static final byte[] APPLIED_INDEX = key("appliedIndex");
    static final byte[] APPLIED_TERM = key("appliedTerm");
    /** The store's revision; needed because compaction may delete the newest rev entries (tombstones). */
    static final byte[] CURRENT_REVISION = key("currentRevision");
    /** The finished compaction; compaction runs inside one commit, so it always equals the scheduled one. */
    static final byte[] COMPACT_REVISION = key("compactRevision");
    static final byte[] SCHEDULED_COMPACT_REVISION = key("scheduledCompactRevision");

    private Meta() {
    }

    /** Attachments live beside the revision meta under their own prefix; their values are opaque bytes. */
    static byte[] attachmentKey(String name) {
        return key("attachment/" + name);
    }

    /**
     * Buckets hold records of other keyspace stores (the lease store), one RocksDB key each, as etcd's
     * backend has a bucket per store; unlike attachments they belong to the data and survive a restore.
     */
    static byte[] bucketKey(String bucket, byte[] key) {
        byte[] prefix = key("bucket/" + bucket + "/");
        byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        return out;
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }

    static long decode(byte[] v, long absent) {
        return v == null ? absent : ByteBuffer.wrap(v).getLong();
    }
}
