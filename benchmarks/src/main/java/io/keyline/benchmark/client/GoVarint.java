package io.keyline.benchmark.client;

/**
 * Go's binary.PutVarint into the front of a fixed-size key, which is how etcd's benchmark turns a
 * key index into a key: zig-zag, then 7 bits per byte, the rest of the key left as zero bytes.
 */
public final class GoVarint {
    private GoVarint() {}

    /** A key of size bytes holding i as a varint (truncated if size is too small, as copy() would). */
    public static byte[] key(long i, int size) {
        byte[] k = new byte[size];
        long ux = (i << 1) ^ (i >> 63);
        int n = 0;
        while (Long.compareUnsigned(ux, 0x80) >= 0 && n < size) {
            k[n++] = (byte) (ux | 0x80);
            ux >>>= 7;
        }
        if (n < size) {
            k[n] = (byte) ux;
        }
        return k;
    }
}
