package io.keyline.it;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.HashKVResponse;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.mvccpb.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks a quiet cluster (no writes in flight) for convergence: every available member reaches the
 * revision a linearizable read returns, holds the same keys as every other member (serializable
 * reads, so each member answers from its own replica), and reports the same HashKV at that revision.
 */
final class ClusterVerifier {

    /** What one member holds under a prefix: key → its KeyValue, at a revision. */
    record Replica(int member, long revision, Map<String, KeyValue> kvs) { }

    private ClusterVerifier() {
    }

    /** Linearizable read of the store revision through member i (a read barrier). */
    static long linearizableRevision(KeylineCluster c, int i) {
        RangeResponse r = c.kv(i).withDeadlineAfter(15, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("/")).setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                .setCountOnly(true).build());
        return r.getHeader().getRevision();
    }

    /** Member i's own applied revision (serializable read, no leader round trip). */
    static long localRevision(KeylineCluster c, int i) {
        RangeResponse r = c.kv(i).withDeadlineAfter(3, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("/")).setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                .setCountOnly(true).setSerializable(true).build());
        return r.getHeader().getRevision();
    }

    /** Waits until member i's local revision is at least {@code target}; returns it. */
    static long awaitRevision(KeylineCluster c, int i, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            try {
                long rev = localRevision(c, i);
                if (rev >= target) {
                    return rev;
                }
                last = "at revision " + rev;
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("member " + i + " did not reach revision " + target + " within " + timeout
                        + " (" + last + "); its log:\n" + c.logTail(i, 30));
            }
            ServerProcess.sleep(100);
        }
    }

    static Replica read(KeylineCluster c, int i, String prefix) {
        RangeResponse r = c.serializablePrefix(i, prefix, Duration.ofSeconds(30));
        Map<String, KeyValue> kvs = new HashMap<>();
        for (KeyValue kv : r.getKvsList()) {
            kvs.put(kv.getKey().toStringUtf8(), kv);
        }
        return new Replica(i, r.getHeader().getRevision(), kvs);
    }

    /**
     * Barrier, then per-member replica comparison and HashKV. Returns the replicas (all at the same
     * revision) so a caller can check its acknowledged writes against each.
     */
    static List<Replica> converge(KeylineCluster c, String prefix, String when) {
        List<Integer> members = c.available();
        int leader = c.leaderIndex();
        long target = linearizableRevision(c, leader);
        for (int i : members) {
            awaitRevision(c, i, target, Duration.ofSeconds(60));
        }
        List<Replica> replicas = new ArrayList<>();
        for (int i : members) {
            replicas.add(read(c, i, prefix));
        }
        Replica ref = replicas.get(0);
        List<String> problems = new ArrayList<>();
        for (Replica r : replicas) {
            if (r.revision() != ref.revision()) {
                problems.add("member " + r.member() + " at revision " + r.revision() + ", member " + ref.member()
                        + " at " + ref.revision());
            }
            if (!r.kvs().equals(ref.kvs())) {
                int shown = 0;
                for (String k : union(r.kvs(), ref.kvs())) {
                    KeyValue a = ref.kvs().get(k);
                    KeyValue b = r.kvs().get(k);
                    if (a == null || !a.equals(b)) {
                        if (shown++ < 10) {
                            problems.add(k + ": member " + ref.member() + " has " + brief(a) + ", member " + r.member()
                                    + " has " + brief(b));
                        }
                    }
                }
                problems.add("member " + r.member() + " holds " + r.kvs().size() + " keys, member " + ref.member()
                        + " holds " + ref.kvs().size());
            }
        }
        long rev = ref.revision();
        HashKVResponse refHash = null;
        StringBuilder hashes = new StringBuilder();
        for (int i : members) {
            HashKVResponse h = c.hashKV(i, rev);
            hashes.append(" m").append(i).append('=').append(Integer.toUnsignedString(h.getHash()))
                    .append("@").append(h.getHashRevision());
            if (refHash == null) {
                refHash = h;
            } else if (h.getHash() != refHash.getHash() || h.getCompactRevision() != refHash.getCompactRevision()) {
                problems.add("HashKV(" + rev + ") differs: member " + i + " " + h.getHash() + " (compact "
                        + h.getCompactRevision() + ") vs " + refHash.getHash() + " (compact "
                        + refHash.getCompactRevision() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(when + ": replicas diverge at revision " + target + ":\n  "
                    + String.join("\n  ", problems) + "\nhashes:" + hashes);
        }
        System.out.printf("[%s] %d members converged at revision %d, %d keys under %s, HashKV%s%n",
                when, members.size(), rev, ref.kvs().size(), prefix, hashes);
        return replicas;
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.TreeSet<String> s = new java.util.TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return new ArrayList<>(s);
    }

    static String brief(KeyValue kv) {
        return kv == null ? "nothing" : kv.getValue().toStringUtf8() + "@mod" + kv.getModRevision()
                + "/create" + kv.getCreateRevision() + "/v" + kv.getVersion();
    }
}
