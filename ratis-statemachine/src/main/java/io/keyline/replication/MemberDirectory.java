package io.keyline.replication;

import com.google.protobuf.InvalidProtocolBufferException;
import io.keyline.api.etcdserverpb.Member;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.replication.proto.MemberDirectoryState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each member announced about itself through the log (name, client URLs). It changes only in
 * apply and is stored with the applied index, so every replica and every snapshot agree on it.
 */
final class MemberDirectory {
    private static final String ATTACHMENT = "members";

    private final Map<Long, Member> published = new ConcurrentHashMap<>();

    void load(MvccStore store) {
        published.clear();
        byte[] bytes = store.attachment(ATTACHMENT);
        if (bytes == null) {
            return;
        }
        try {
            MemberDirectoryState.parseFrom(bytes).getMembersList().forEach(m -> published.put(m.getID(), m));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt member directory in the store", e);
        }
    }

    Member apply(MvccBatch batch, Member announced) {
        published.put(announced.getID(), announced);
        batch.putAttachment(ATTACHMENT,
                MemberDirectoryState.newBuilder().addAllMembers(published.values()).build().toByteArray());
        return announced;
    }

    Optional<Member> get(long memberId) {
        return Optional.ofNullable(published.get(memberId));
    }
}
