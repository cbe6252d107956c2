package io.keyline.keyspace.mvcc;

import io.keyline.api.mvccpb.Event;
import io.keyline.api.mvccpb.KeyValue;

import java.nio.ByteBuffer;

/**
 * Keys of the {@code rev} column family, in etcd's exact byte format so that a scan of the family walks history
 * in revision order and HashKV matches etcd's for the same history:
 * 8-byte big-endian main, {@code '_'}, 8-byte big-endian sub, and a trailing {@code 't'} for a tombstone.
 * Example: revision 5.1 deleting a key is {@code 00..05 5F 00..01 74}.
 */
final class RevKeys {
    static final int LEN = 17;
    static final int TOMBSTONE_LEN = 18;
    private static final byte SEPARATOR = '_';
    private static final byte TOMBSTONE = 't';

    private RevKeys() {
    }

    static byte[] encode(Revision rev, boolean tombstone) {
        ByteBuffer b = ByteBuffer.allocate(tombstone ? TOMBSTONE_LEN : LEN);
        b.putLong(rev.main()).put(SEPARATOR).putLong(rev.sub());
        if (tombstone) {
            b.put(TOMBSTONE);
        }
        return b.array();
    }

    /** The first key of main revision {@code main}; every key of a lower main sorts before it. */
    static byte[] startOf(long main) {
        return encode(new Revision(main, 0), false);
    }

    static Revision decode(byte[] key) {
        if (key.length < LEN || key[8] != SEPARATOR) {
            throw new IllegalStateException("malformed rev key of length " + key.length);
        }
        ByteBuffer b = ByteBuffer.wrap(key);
        long main = b.getLong();
        b.get();
        return new Revision(main, b.getLong());
    }

    /** The watch event of one stored write; as in etcd, a delete's KeyValue is the key and its revision. */
    static Event event(Revision rev, KeyValue stored, boolean tombstone) {
        if (tombstone) {
            return Event.newBuilder().setType(Event.EventType.DELETE)
                    .setKv(stored.toBuilder().setModRevision(rev.main())).build();
        }
        return Event.newBuilder().setType(Event.EventType.PUT).setKv(stored).build();
    }

    static boolean isTombstone(byte[] key) {
        return key.length == TOMBSTONE_LEN && key[LEN] == TOMBSTONE;
    }
}
