package io.keyline.replication;

import io.keyline.api.etcdserverpb.AlarmResponse;
import io.keyline.api.etcdserverpb.CompactionResponse;
import io.keyline.api.etcdserverpb.DeleteRangeResponse;
import io.keyline.api.etcdserverpb.LeaseCheckpointResponse;
import io.keyline.api.etcdserverpb.LeaseGrantResponse;
import io.keyline.api.etcdserverpb.LeaseRevokeResponse;
import io.keyline.api.etcdserverpb.Member;
import io.keyline.api.etcdserverpb.PutResponse;
import io.keyline.api.etcdserverpb.TxnResponse;
import io.keyline.keyspace.EtcdError;
import io.keyline.replication.proto.LogResult;
import io.keyline.replication.proto.MemberDirectoryState;
import io.keyline.replication.proto.LogResults;

/** Outcomes to and from the reply a leader sends for a forwarded entry. */
final class LogResultCodec {
    private LogResultCodec() {
    }

    static LogResults encode(WriteOutcome[] outcomes) {
        LogResults.Builder results = LogResults.newBuilder();
        for (WriteOutcome o : outcomes) {
            LogResult.Builder r = LogResult.newBuilder();
            if (o.failed()) {
                r.setError(o.error().name());
            } else if (o.response() instanceof PutResponse put) {
                r.setPut(put);
            } else if (o.response() instanceof DeleteRangeResponse del) {
                r.setDeleteRange(del);
            } else if (o.response() instanceof TxnResponse txn) {
                r.setTxn(txn);
            } else if (o.response() instanceof CompactionResponse compaction) {
                r.setCompaction(compaction);
            } else if (o.response() instanceof Member member) {
                r.setPublished(member);
            } else if (o.response() instanceof AlarmResponse alarm) {
                r.setAlarm(alarm);
            } else if (o.response() instanceof LeaseGrantResponse granted) {
                r.setLeaseGranted(granted);
            } else if (o.response() instanceof LeaseRevokeResponse revoked) {
                r.setLeaseRevoked(revoked);
            } else if (o.response() instanceof LeaseCheckpointResponse checkpointed) {
                r.setLeaseCheckpointed(checkpointed);
            } else if (o.response() instanceof MemberDirectoryState members) {
                r.setMembers(members);
            } else {
                throw new IllegalStateException("unexpected response " + o.response().getClass());
            }
            results.addResults(r);
        }
        return results.build();
    }

    static void decodeInto(LogResults results, WriteOutcome[] outcomes) {
        for (int i = 0; i < outcomes.length && i < results.getResultsCount(); i++) {
            LogResult r = results.getResults(i);
            outcomes[i] = switch (r.getResultCase()) {
                case PUT -> WriteOutcome.ok(r.getPut());
                case DELETE_RANGE -> WriteOutcome.ok(r.getDeleteRange());
                case TXN -> WriteOutcome.ok(r.getTxn());
                case COMPACTION -> WriteOutcome.ok(r.getCompaction());
                case PUBLISHED -> WriteOutcome.ok(r.getPublished());
                case ALARM -> WriteOutcome.ok(r.getAlarm());
                case LEASE_GRANTED -> WriteOutcome.ok(r.getLeaseGranted());
                case LEASE_REVOKED -> WriteOutcome.ok(r.getLeaseRevoked());
                case LEASE_CHECKPOINTED -> WriteOutcome.ok(r.getLeaseCheckpointed());
                case MEMBERS -> WriteOutcome.ok(r.getMembers());
                case ERROR -> WriteOutcome.failed(EtcdError.valueOf(r.getError()));
                case RESULT_NOT_SET -> null;
            };
        }
    }
}
