package io.keyline.keyspace.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.DeleteRangeRequest;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import org.junit.jupiter.api.Test;

class SpaceQuotaTest {
    private static final PutRequest PUT = PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build();
    private static final RequestOp PUT_OP = RequestOp.newBuilder().setRequestPut(PUT).build();
    private static final RequestOp GET_OP = RequestOp.newBuilder()
            .setRequestRange(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build();
    private static final RequestOp DEL_OP = RequestOp.newBuilder()
            .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build();

    @Test
    void putIsAdmittedOnlyWhileStoreSizePlusCostStaysBelowQuota() {
        long cost = PUT.getSerializedSize() + SpaceQuota.KV_OVERHEAD_BYTES;
        SpaceQuota quota = new SpaceQuota(1000);
        assertEquals(true, quota.admits(1000 - cost - 1, PUT));
        assertEquals(false, quota.admits(1000 - cost, PUT));
    }

    @Test
    void txnCostCountsOnlyTheSuccessBranchPuts() {
        TxnRequest txn = TxnRequest.newBuilder().addSuccess(PUT_OP).addSuccess(GET_OP).addFailure(PUT_OP).build();
        assertEquals(PUT.getSerializedSize() + SpaceQuota.KV_OVERHEAD_BYTES, SpaceQuota.cost(txn));
        assertEquals(true, new SpaceQuota(10).admits(1_000_000, TxnRequest.newBuilder().addSuccess(GET_OP).build()));
    }

    @Test
    void txnIsReadOnlyOnlyWhenBothBranchesHoldNothingButRanges() {
        assertEquals(true, SpaceQuota.isReadOnly(TxnRequest.newBuilder().addSuccess(GET_OP).addFailure(GET_OP).build()));
        assertEquals(false, SpaceQuota.isReadOnly(TxnRequest.newBuilder().addSuccess(GET_OP).addFailure(DEL_OP).build()));
        TxnRequest nestedGet = TxnRequest.newBuilder().addSuccess(GET_OP).build();
        assertEquals(false, SpaceQuota.isReadOnly(TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestTxn(nestedGet)).build()));
    }
}
