package io.keyline.etcdctl.check;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line etcdctl's check commands draw (cheggaaa/pb v1 without a bar, as it renders
 * when it cannot size a terminal): " 21 / 60   35.00% 00m39s", redrawn every 200 ms after a carriage
 * return, and the time spent instead of the time left once finished.
 */
final class ProgressBar implements AutoCloseable {
    private final PrintStream out;
    private final long total;
    private final AtomicLong current = new AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
    });
    private final long startNanos = System.nanoTime();
    private volatile long changedNanos = startNanos;
    private boolean finished;

    ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = total;
        ticker.scheduleAtFixedRate(this::draw, 0, 200, TimeUnit.MILLISECONDS);
    }

    void add(long n) {
        current.addAndGet(n);
        changedNanos = System.nanoTime();
    }

    private synchronized void draw() {
        if (finished) {
            return;
        }
        long now = System.nanoTime();
        long cur = current.get();
        String left = "";
        if (cur > 0 && cur < total) {
            long perEntry = (now - startNanos) / cur;
            long leftSeconds = ((total - cur) * perEntry - (now - changedNanos)) / 1_000_000_000L;
            if (leftSeconds > 0) {
                left = String.format(" %02dm%02ds", leftSeconds / 60, leftSeconds % 60);
            }
        }
        out.print(line(cur) + left);
        out.flush();
    }

    private String line(long cur) {
        double percent = total == 0 ? 100 : cur * 100.0 / total;
        return String.format("\r %d / %d %7.2f%%", cur, total, percent);
    }

    /** Draws the final line with the whole seconds spent, as Go prints a duration, and a newline. */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        ticker.shutdownNow();
        long spent = (System.nanoTime() - startNanos) / 1_000_000_000L;
        out.println(line(current.get()) + " " + goDuration(spent));
        out.flush();
    }

    static String goDuration(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        return m > 0 ? m + "m" + s + "s" : s + "s";
    }

    @Override
    public void close() {
        finish();
    }
}
