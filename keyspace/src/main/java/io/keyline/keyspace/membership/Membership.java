package io.keyline.keyspace.membership;

import io.keyline.api.etcdserverpb.Member;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * etcd's cluster membership rules (etcd 3.4 RaftCluster with --strict-reconfig-check, its
 * default): who is a member, who is a learner, which ids were removed for good. Every change is
 * checked as etcd checks it before anything changes; a refused change changes nothing.
 *
 * <p>"Started" is etcd's: a member that has published its name. Members are kept in etcd's order
 * (by id, unsigned), so every listing is the same on every replica.
 */
public final class Membership {
    /** etcd 3.4's maxLearners. */
    static final int MAX_LEARNERS = 1;

    private final Map<Long, Member> members = new TreeMap<>(Long::compareUnsigned);
    private final Set<Long> removed = new HashSet<>();
    private boolean bootstrapped;

    public Membership(Collection<Member> members, Collection<Long> removed, boolean bootstrapped) {
        members.forEach(m -> this.members.put(m.getID(), m));
        this.removed.addAll(removed);
        this.bootstrapped = bootstrapped;
    }

    public static Membership empty() {
        return new Membership(List.of(), List.of(), false);
    }

    /**
     * etcd's types.NewURLs: at least one URL, each http(s) or unix(s) with host:port and no path;
     * otherwise "given member URLs are invalid". Returns them sorted, as etcd stores them.
     */
    public static List<String> peerUrls(List<String> urls) {
        if (urls.isEmpty()) {
            throw new KeyspaceException(EtcdError.MEMBER_BAD_URLS);
        }
        for (String raw : urls) {
            try {
                URI u = new URI(raw.trim());
                String scheme = u.getScheme();
                boolean knownScheme = "http".equals(scheme) || "https".equals(scheme)
                        || "unix".equals(scheme) || "unixs".equals(scheme);
                String authority = u.getRawAuthority();
                boolean hostPort = authority != null && authority.lastIndexOf(':') > 0
                        && authority.lastIndexOf(':') >= authority.lastIndexOf(']');
                String path = u.getRawPath();
                if (!knownScheme || !hostPort || (path != null && !path.isEmpty())) {
                    throw new KeyspaceException(EtcdError.MEMBER_BAD_URLS);
                }
            } catch (URISyntaxException e) {
                throw new KeyspaceException(EtcdError.MEMBER_BAD_URLS);
            }
        }
        return urls.stream().map(String::trim).sorted().toList();
    }

    /** The initial cluster, taken once: every initial member proposes the same one. */
    public boolean bootstrap(Collection<Member> initial) {
        if (bootstrapped) {
            return false;
        }
        initial.forEach(m -> members.putIfAbsent(m.getID(), m));
        bootstrapped = true;
        return true;
    }

    public Member add(Member m) {
        if (!m.getIsLearner()) {
            checkVoterAddable();
        }
        if (removed.contains(m.getID())) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_FOUND);
        }
        if (members.containsKey(m.getID())) {
            throw new KeyspaceException(EtcdError.MEMBER_EXIST);
        }
        checkUrlsFree(m.getID(), m.getPeerURLsList());
        if (m.getIsLearner() && learners() + 1 > MAX_LEARNERS) {
            throw new KeyspaceException(EtcdError.TOO_MANY_LEARNERS);
        }
        members.put(m.getID(), m);
        return m;
    }

    public void remove(long id) {
        checkRemovable(id);
        Member m = members.get(id);
        if (m == null) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_FOUND);
        }
        members.remove(id);
        removed.add(id);
    }

    public void update(long id, List<String> peerUrls) {
        Member m = members.get(id);
        if (m == null) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_FOUND);
        }
        checkUrlsFree(id, peerUrls);
        members.put(id, m.toBuilder().clearPeerURLs().addAllPeerURLs(peerUrls).build());
    }

    /**
     * etcd's mayRemoveMember quorum check (a learner may always go): etcd makes it on the member
     * that received the request, before proposing, so the gateway asks it first too.
     */
    public void checkRemovable(long id) {
        Member m = members.get(id);
        boolean learner = m != null && m.getIsLearner();
        if (!learner && !readyToRemoveVoter(id)) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_ENOUGH_STARTED);
        }
    }

    /** The rest of etcd's promote checks; whether the learner caught up was judged by the Raft leader before proposing. */
    public void promote(long id) {
        if (!readyToPromote()) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_ENOUGH_STARTED);
        }
        Member m = members.get(id);
        if (m == null) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_FOUND);
        }
        if (!m.getIsLearner()) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_LEARNER);
        }
        members.put(id, m.toBuilder().setIsLearner(false).build());
    }

    /** A member's own announcement of its name and client URLs; a removed member's is ignored. */
    public void publish(Member attributes) {
        if (removed.contains(attributes.getID())) {
            return;
        }
        Member m = members.get(attributes.getID());
        members.put(attributes.getID(), m == null ? attributes : m.toBuilder()
                .setName(attributes.getName())
                .clearClientURLs().addAllClientURLs(attributes.getClientURLsList())
                .build());
    }

    private void checkUrlsFree(long self, List<String> urls) {
        for (Member other : members.values()) {
            if (other.getID() != self && other.getPeerURLsList().stream().anyMatch(urls::contains)) {
                throw new KeyspaceException(EtcdError.PEER_URL_EXIST);
            }
        }
    }

    private long learners() {
        return members.values().stream().filter(Member::getIsLearner).count();
    }

    private static boolean started(Member m) {
        return !m.getName().isEmpty();
    }

    /**
     * etcd's IsReadyToAddVotingMember: the started voters stay a quorum of the grown cluster. etcd
     * checks it before its own connectivity check, so the gateway asks it before proposing too.
     */
    public void checkVoterAddable() {
        if (!readyToAddVoter()) {
            throw new KeyspaceException(EtcdError.MEMBER_NOT_ENOUGH_STARTED);
        }
    }

    private boolean readyToAddVoter() {
        int voters = 1;
        int started = 0;
        for (Member m : voters()) {
            started += started(m) ? 1 : 0;
            voters++;
        }
        return (started == 1 && voters == 2) || started >= voters / 2 + 1;
    }

    /** etcd's IsReadyToRemoveVotingMember: the started voters left stay a quorum; never the last voter. */
    private boolean readyToRemoveVoter(long id) {
        int voters = 0;
        int started = 0;
        for (Member m : voters()) {
            if (m.getID() != id) {
                started += started(m) ? 1 : 0;
                voters++;
            }
        }
        return started >= voters / 2 + 1;
    }

    /** etcd's IsReadyToPromoteMember: the promoted learner counts as a started voter. */
    private boolean readyToPromote() {
        int voters = 1;
        int started = 1;
        for (Member m : voters()) {
            started += started(m) ? 1 : 0;
            voters++;
        }
        return started >= voters / 2 + 1;
    }

    private List<Member> voters() {
        return members.values().stream().filter(m -> !m.getIsLearner()).toList();
    }

    public List<Member> members() {
        return List.copyOf(members.values());
    }

    /** One member by id, without copying the list (asked on every client call). */
    public Optional<Member> member(long id) {
        return Optional.ofNullable(members.get(id));
    }

    public Set<Long> removed() {
        return Set.copyOf(removed);
    }

    public boolean isRemoved(long id) {
        return removed.contains(id);
    }

    public boolean bootstrapped() {
        return bootstrapped;
    }
}
