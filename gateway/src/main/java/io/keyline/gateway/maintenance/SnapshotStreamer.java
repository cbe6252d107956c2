package io.keyline.gateway.maintenance;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.ResponseHeader;
import io.keyline.api.etcdserverpb.SnapshotResponse;
import io.keyline.gateway.errors.EtcdStatus;
import io.keyline.keyspace.mvcc.MvccStore;
import io.keyline.keyspace.snapshot.SnapshotArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Maintenance.Snapshot: a checkpoint of this member's store, archived to a scratch file and
 * streamed in etcd's 32 KiB chunks as fast as the client reads (the stream's readiness drives
 * it, so a slow client never makes the server buffer the whole snapshot).
 */
final class SnapshotStreamer {
    static final int CHUNK_BYTES = 32 * 1024;

    private final Path scratchRoot;

    SnapshotStreamer(Path scratchRoot) {
        this.scratchRoot = scratchRoot;
    }

    void stream(MvccStore store, ResponseHeader header, StreamObserver<SnapshotResponse> out) {
        ServerCallStreamObserver<SnapshotResponse> call = (ServerCallStreamObserver<SnapshotResponse>) out;
        Path scratch;
        InputStream in;
        long total;
        try {
            Files.createDirectories(scratchRoot);
            scratch = Files.createTempDirectory(scratchRoot, "snapshot-");
            store.checkpoint(scratch.resolve("checkpoint"));
            Path archive = scratch.resolve("snapshot.db");
            SnapshotArchive.write(scratch.resolve("checkpoint"), archive);
            total = Files.size(archive);
            in = Files.newInputStream(archive);
        } catch (IOException | RuntimeException e) {
            out.onError(EtcdStatus.of(e));
            return;
        }
        Pump pump = new Pump(call, in, total, header, scratch);
        call.setOnCancelHandler(pump::finish);
        call.setOnReadyHandler(pump::run);
    }

    private static final class Pump {
        private final ServerCallStreamObserver<SnapshotResponse> call;
        private final InputStream in;
        private final ResponseHeader header;
        private final Path scratch;
        private long remaining;
        private boolean first = true;
        private boolean done;

        Pump(ServerCallStreamObserver<SnapshotResponse> call, InputStream in, long total, ResponseHeader header,
                Path scratch) {
            this.call = call;
            this.in = in;
            this.remaining = total;
            this.header = header;
            this.scratch = scratch;
        }

        synchronized void run() {
            try {
                while (!done && call.isReady()) {
                    byte[] chunk = in.readNBytes((int) Math.min(CHUNK_BYTES, remaining));
                    remaining -= chunk.length;
                    SnapshotResponse.Builder r = SnapshotResponse.newBuilder()
                            .setRemainingBytes(remaining).setBlob(ByteString.copyFrom(chunk));
                    if (first) {
                        r.setHeader(header);
                        first = false;
                    }
                    call.onNext(r.build());
                    if (remaining == 0) {
                        call.onCompleted();
                        finish();
                    }
                }
            } catch (IOException | RuntimeException e) {
                finish();
                call.onError(EtcdStatus.of(e));
            }
        }

        synchronized void finish() {
            if (done) {
                return;
            }
            done = true;
            try (Stream<Path> files = Files.walk(scratch)) {
                in.close();
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
