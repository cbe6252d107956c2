package io.keyline.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.PutRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A member whose data directory was deleted under it cannot save its state; asked to stop, it
 * exits as etcd does, rather than retry the snapshot Ratis takes at stop forever on a busy thread.
 */
class DataDirLossTest {

    @Test
    void aMemberWhoseDataDirIsGoneStillStopsOnSigterm() throws Exception {
        try (KeylineCluster c = KeylineCluster.start("datadirloss", 1)) {
            c.kv(0).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build());
            KeylineCluster.deleteTree(c.dataDir(0));
            assertFalse(Files.exists(c.dataDir(0)), "data dir still there");
            assertTrue(c.terminate(0, Duration.ofSeconds(30)), "member still running 30 s after SIGTERM; log tail:\n"
                    + c.logTail(0, 20));
        }
    }
}
