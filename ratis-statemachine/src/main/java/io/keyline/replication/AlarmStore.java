package io.keyline.replication;

import com.google.protobuf.InvalidProtocolBufferException;
import io.keyline.api.etcdserverpb.AlarmMember;
import io.keyline.api.etcdserverpb.AlarmRequest;
import io.keyline.api.etcdserverpb.AlarmResponse;
import io.keyline.api.etcdserverpb.AlarmType;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.replication.proto.AlarmState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster's active alarms. They change only in apply and are stored with the applied index,
 * so every member and every snapshot agree on them, as etcd's alarm store.
 */
final class AlarmStore {
    private static final String ATTACHMENT = "alarms";

    private final List<AlarmMember> active = new CopyOnWriteArrayList<>();

    void load(MvccStore store) {
        active.clear();
        byte[] bytes = store.attachment(ATTACHMENT);
        if (bytes == null) {
            return;
        }
        try {
            active.addAll(AlarmState.parseFrom(bytes).getAlarmsList());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt alarm state in the store", e);
        }
    }

    /** Activate adds the alarm once; deactivate removes it; the response names what changed. */
    AlarmResponse apply(MvccBatch batch, AlarmRequest request) {
        AlarmMember alarm = AlarmMember.newBuilder()
                .setMemberID(request.getMemberID()).setAlarm(request.getAlarm()).build();
        AlarmResponse.Builder changed = AlarmResponse.newBuilder();
        boolean present = active.contains(alarm);
        if (request.getAction() == AlarmRequest.AlarmAction.ACTIVATE && !present
                && request.getAlarm() != AlarmType.NONE) {
            active.add(alarm);
            changed.addAlarms(alarm);
        } else if (request.getAction() == AlarmRequest.AlarmAction.DEACTIVATE && present) {
            active.remove(alarm);
            changed.addAlarms(alarm);
        }
        if (changed.getAlarmsCount() > 0) {
            batch.putAttachment(ATTACHMENT, AlarmState.newBuilder().addAllAlarms(active).build().toByteArray());
        }
        return changed.build();
    }

    List<AlarmMember> active() {
        return List.copyOf(active);
    }

    boolean isActive(AlarmType type) {
        return active.stream().anyMatch(a -> a.getAlarm() == type);
    }
}
