package io.keyline.benchmark.kv;

import java.security.SecureRandom;

/** Random bytes for values and watched keys, as etcd's mustRandBytes (crypto/rand). */
public final class Keys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
