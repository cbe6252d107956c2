package io.keyline.replication;

import com.google.protobuf.InvalidProtocolBufferException;
import io.keyline.api.etcdserverpb.Member;
import io.keyline.keyspace.membership.Membership;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.replication.proto.MemberDirectoryState;
import io.keyline.replication.proto.MembershipChange;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's members as the log has decided them: the initial cluster, every add, remove,
 * update and promote, and what each member announced about itself (name, client URLs). It
 * changes only in apply and is stored with the applied index, so every replica and every
 * snapshot agree on it. The Raft configuration follows it ({@link MembershipReconciler}).
 */
final class MemberDirectory {
    private static final String ATTACHMENT = "members";

    private volatile Membership membership = Membership.empty();

    void load(MvccStore store) {
        byte[] bytes = store.attachment(ATTACHMENT);
        if (bytes == null) {
            membership = Membership.empty();
            return;
        }
        try {
            MemberDirectoryState state = MemberDirectoryState.parseFrom(bytes);
            membership = new Membership(state.getMembersList(), state.getRemovedList(), state.getBootstrapped());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt member directory in the store", e);
        }
    }

    Member publish(MvccBatch batch, Member announced) {
        Membership next = copy();
        next.publish(announced);
        save(batch, next);
        return announced;
    }

    /** Applies one change, or throws etcd's error with nothing changed; answers the members after it. */
    MemberDirectoryState apply(MvccBatch batch, MembershipChange change) {
        Membership next = copy();
        switch (change.getChangeCase()) {
            case BOOTSTRAP -> next.bootstrap(change.getBootstrap().getMembersList());
            case ADD -> next.add(change.getAdd());
            case REMOVE -> next.remove(change.getRemove());
            case UPDATE -> next.update(change.getUpdate().getID(), change.getUpdate().getPeerURLsList());
            case PROMOTE -> next.promote(change.getPromote());
            case CHANGE_NOT_SET -> throw new IllegalStateException("membership change without a change");
        }
        save(batch, next);
        return MemberDirectoryState.newBuilder().addAllMembers(next.members()).build();
    }

    private Membership copy() {
        Membership m = membership;
        return new Membership(m.members(), m.removed(), m.bootstrapped());
    }

    private void save(MvccBatch batch, Membership next) {
        batch.putAttachment(ATTACHMENT, MemberDirectoryState.newBuilder()
                .addAllMembers(next.members())
                .addAllRemoved(next.removed())
                .setBootstrapped(next.bootstrapped())
                .build().toByteArray());
        membership = next;
    }

    Optional<Member> get(long memberId) {
        return membership.member(memberId);
    }

    List<Member> members() {
        return membership.members();
    }

    boolean bootstrapped() {
        return membership.bootstrapped();
    }

    boolean isRemoved(long memberId) {
        return membership.isRemoved(memberId);
    }
}
