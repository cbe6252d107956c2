package io.keyline.gateway.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;

/**
 * etcd's member and cluster ids: a member id is the first 8 bytes (big-endian) of SHA-1 over its
 * sorted peer URLs joined, then the cluster token; the cluster id is the same over the sorted
 * member ids as 8-byte big-endian values. So the default member gets etcd's own 8e9e05c52164694d.
 */
public final class MemberIds {
    private MemberIds() {
    }

    public static long memberId(List<String> peerUrls, String clusterToken) {
        String joined = String.join("", peerUrls.stream().sorted().toList());
        return first8(sha1((joined + clusterToken).getBytes(StandardCharsets.UTF_8)));
    }

    public static long clusterId(Collection<Long> memberIds) {
        ByteBuffer b = ByteBuffer.allocate(8 * memberIds.size());
        memberIds.stream().sorted(Long::compareUnsigned).forEach(b::putLong);
        return first8(sha1(b.array()));
    }

    private static long first8(byte[] digest) {
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
