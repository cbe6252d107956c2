package io.keyline.benchmark.jmh;

import com.google.protobuf.ByteString;
import io.keyline.api.etcdserverpb.Compare;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.etcdserverpb.RequestOp;
import io.keyline.api.etcdserverpb.TxnRequest;
import io.keyline.api.etcdserverpb.TxnResponse;
import io.keyline.keyspace.mvcc.MvccBatch;
import io.keyline.keyspace.mvcc.MvccStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micro-benchmarks of MvccStore, the keyspace alone (no Raft, no gRPC): a put per batch commit, ten
 * puts per commit (the gateway's group commit), a point read, a 100-key range read, and a
 * compare-and-put transaction. The store holds {@code keys} keys before measuring; every write
 * overwrites one of them, so the key index stays the same size while history grows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class MvccStoreBench {
    @Param({"10000"})
    int keys;

    @Param({"64"})
    int valueSize;

    private Path dir;
    private MvccStore store;
    private ByteString[] keyBytes;
    private ByteString value;
    private long appliedIndex;
    private int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("mvcc-jmh");
        store = MvccStore.open(dir);
        keyBytes = new ByteString[keys];
        for (int i = 0; i < keys; i++) {
            keyBytes[i] = ByteString.copyFromUtf8(String.format("key-%08d", i));
        }
        value = ByteString.copyFrom(new byte[valueSize]);
        for (int i = 0; i < keys; i += 1000) {
            try (MvccBatch b = store.newBatch()) {
                for (int j = i; j < Math.min(keys, i + 1000); j++) {
                    b.put(PutRequest.newBuilder().setKey(keyBytes[j]).setValue(value).build());
                }
                b.commit(++appliedIndex, 1);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private ByteString nextKey() {
        next = (next + 7919) % keys;
        return keyBytes[next];
    }

    @Benchmark
    public long put() {
        try (MvccBatch b = store.newBatch()) {
            b.put(PutRequest.newBuilder().setKey(nextKey()).setValue(value).build());
            b.commit(++appliedIndex, 1);
        }
        return appliedIndex;
    }

    /** Ten puts in one commit: the unit of work is the commit, so ops/s x 10 is puts/s. */
    @Benchmark
    public long putBatchOf10() {
        try (MvccBatch b = store.newBatch()) {
            for (int i = 0; i < 10; i++) {
                b.put(PutRequest.newBuilder().setKey(nextKey()).setValue(value).build());
            }
            b.commit(++appliedIndex, 1);
        }
        return appliedIndex;
    }

    @Benchmark
    public RangeResponse rangeOne() {
        return store.range(RangeRequest.newBuilder().setKey(nextKey()).build());
    }

    @Benchmark
    public RangeResponse range100() {
        int from = next = (next + 7919) % (keys - 100);
        return store.range(RangeRequest.newBuilder().setKey(keyBytes[from]).setRangeEnd(keyBytes[from + 100]).build());
    }

    /** etcd's optimistic update: compare the key's version (always true: > 0), then put. */
    @Benchmark
    public TxnResponse txnCompareAndPut() {
        ByteString k = nextKey();
        TxnRequest t = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.GREATER).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(k).setValue(value)))
                .build();
        try (MvccBatch b = store.newBatch()) {
            TxnResponse r = b.txn(t);
            b.commit(++appliedIndex, 1);
            return r;
        }
    }
}
