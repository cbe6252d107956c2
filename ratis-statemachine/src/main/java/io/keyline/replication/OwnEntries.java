package io.keyline.replication;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The entries this member proposed and has not applied yet, by the call id they carry into the log.
 * Applying one fills its outcomes in place, as etcd's wait list hands a proposer its result: so an
 * entry is answered whichever leader committed it, and whichever attempt of it the leader kept.
 */
final class OwnEntries {
    private final ClientId clientId;
    private final ByteString clientIdBytes;
    private final ConcurrentHashMap<Long, ProposedEntry> waiting = new ConcurrentHashMap<>();

    OwnEntries(ClientId clientId) {
        this.clientId = clientId;
        this.clientIdBytes = clientId.toByteString();
    }

    ClientId clientId() {
        return clientId;
    }

    void expect(long callId, ProposedEntry entry) {
        waiting.put(callId, entry);
    }

    /** The entry this member proposed as {@code logged}, now applying; null for anyone else's. */
    ProposedEntry claim(StateMachineLogEntryProto logged) {
        if (waiting.isEmpty() || !logged.getClientId().equals(clientIdBytes)) {
            return null;
        }
        return waiting.remove(logged.getCallId());
    }

    void forget(long callId) {
        waiting.remove(callId);
    }
}
