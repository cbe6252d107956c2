package io.keyline.replication;

import io.keyline.api.etcdserverpb.Member;
import io.keyline.replication.proto.MemberDirectoryState;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a member started with {@code --initial-cluster-state existing} finds the cluster it was added to. */
public final class ClusterDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);

    private ClusterDiscovery() {
    }

    /** What a member joining a running cluster learns from it: the cluster id, its own id, the members. */
    public record Discovered(long clusterId, long memberId, List<Member> members) {
    }

    /**
     * How a member started with {@code --initial-cluster-state existing} finds its cluster, as
     * etcd's joining member asks the existing members' peer URLs. Our peer port speaks Ratis, so
     * this asks an existing peer through Ratis' group management API for the group (its id is
     * derived from the cluster id) and then the group's leader for the member directory, where
     * MemberAdd recorded this member under its peer URLs with the id it was given.
     */
    public static Discovered discover(List<String> peerAddresses, List<String> ownPeerUrls, long timeoutMs)
            throws IOException {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String last = "no existing member answered";
        boolean warned = false;
        while (System.nanoTime() < deadline) {
            for (String address : peerAddresses) {
                RaftPeer probe = RaftPeer.newBuilder().setId("discovery").setAddress(address).build();
                try (RaftClient client = RaftClient.newBuilder().setProperties(p)
                        .setRaftGroup(RaftGroup.valueOf(RaftGroupId.randomId(), probe))
                        .setRetryPolicy(RetryPolicies.noRetry()).build()) {
                    List<RaftGroupId> groups = client.getGroupManagementApi(probe.getId()).list().getGroupIds();
                    if (groups.isEmpty()) {
                        last = address + " hosts no group";
                        continue;
                    }
                    RaftGroupId group = groups.get(0);
                    RaftGroup members = client.getGroupManagementApi(probe.getId()).info(group).getGroup();
                    try (RaftClient groupClient = RaftClient.newBuilder().setProperties(p).setRaftGroup(members).build()) {
                        RaftClientReply reply = groupClient.io().sendReadOnly(MembershipQueries.MEMBERS);
                        List<Member> directory = MemberDirectoryState.parseFrom(
                                reply.getMessage().getContent().asReadOnlyByteBuffer()).getMembersList();
                        Member self = directory.stream()
                                .filter(m -> m.getPeerURLsList().stream().anyMatch(ownPeerUrls::contains))
                                .findFirst()
                                .orElseThrow(() -> new NotAMemberException(ownPeerUrls));
                        return new Discovered(group.getUuid().getMostSignificantBits(), self.getID(), directory);
                    }
                } catch (NotAMemberException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    last = address + ": " + e;
                }
            }
            if (!warned) {
                LOG.warn("cannot reach the cluster to join yet, retrying: {}", last);
                warned = true;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while looking for the cluster", e);
            }
        }
        throw new IOException("cannot join the cluster through " + peerAddresses + ": " + last);
    }

    /** The cluster answered, but MemberAdd never recorded these peer URLs. */
    public static final class NotAMemberException extends IOException {
        NotAMemberException(List<String> peerUrls) {
            super("no member of the cluster has peer URLs " + peerUrls + ": add this member with 'member add' first");
        }
    }
}
