package io.keyline.etcdctl.check;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.keyline.api.etcdserverpb.PutRequest;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.client.RpcErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * etcdctl check's write load: one client connection per worker, fed puts of random keys under a
 * prefix through a queue as deep as there are clients. Keys are the prefix plus a fixed-size buffer
 * that starts with a random varint, as etcdctl builds them.
 */
final class PutLoad {
    private static final PutRequest STOP = PutRequest.getDefaultInstance();

    private final List<Connection> clients;
    private final BlockingQueue<PutRequest> queue;
    private final PutReport report = new PutReport();
    private final byte[] keyBuffer;
    private final ByteString prefix;
    private final ByteString value;

    PutLoad(List<Connection> clients, String prefix, int keySize, int valueSize) {
        this.clients = clients;
        this.queue = new ArrayBlockingQueue<>(clients.size());
        this.keyBuffer = new byte[keySize];
        this.prefix = ByteString.copyFromUtf8(prefix);
        this.value = ByteString.copyFrom(new byte[valueSize]);
    }

    /** Puts at most {@code perSecond} per second (a limiter with a burst of one) for {@code seconds}. */
    PutReport runFor(int seconds, int perSecond, Runnable afterEach) throws InterruptedException {
        List<Thread> workers = startWorkers(afterEach);
        long interval = 1_000_000_000L / perSecond;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long next = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            next = Math.max(next, now);
            if (next >= end) {
                break;
            }
            LockSupport.parkNanos(next - now);
            queue.put(nextPut());
            next += interval;
        }
        return stop(workers);
    }

    /** Sends exactly {@code count} puts as fast as the clients go. */
    PutReport runCount(int count, Runnable afterEach) throws InterruptedException {
        List<Thread> workers = startWorkers(afterEach);
        for (int i = 0; i < count; i++) {
            queue.put(nextPut());
        }
        return stop(workers);
    }

    private PutReport stop(List<Thread> workers) throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) {
            queue.put(STOP);
        }
        for (Thread w : workers) {
            w.join();
        }
        report.close();
        return report;
    }

    private List<Thread> startWorkers(Runnable afterEach) {
        List<Thread> workers = new ArrayList<>();
        for (Connection c : clients) {
            Thread t = new Thread(() -> work(c, afterEach), "check-client");
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        return workers;
    }

    private void work(Connection c, Runnable afterEach) {
        try {
            for (PutRequest put = queue.take(); put != STOP; put = queue.take()) {
                long start = System.nanoTime();
                try {
                    c.kv().put(put);
                    report.success(System.nanoTime() - start);
                } catch (StatusRuntimeException e) {
                    report.failure(RpcErrors.clientText(e));
                }
                afterEach.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PutRequest nextPut() {
        putVarint(keyBuffer, ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
        return PutRequest.newBuilder().setKey(prefix.concat(ByteString.copyFrom(keyBuffer))).setValue(value).build();
    }

    /** Go's binary.PutVarint: zig-zag, then 7 bits per byte; bytes after it keep what they held. */
    static int putVarint(byte[] buf, long v) {
        long u = (v << 1) ^ (v >> 63);
        int i = 0;
        while ((u & ~0x7FL) != 0) {
            buf[i++] = (byte) ((u & 0x7F) | 0x80);
            u >>>= 7;
        }
        buf[i++] = (byte) u;
        return i;
    }
}
