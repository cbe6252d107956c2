package io.keyline.benchmark.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live progress line on stderr like the one etcd's benchmark draws ("n / total [===>---] 42.00% 3s"),
 * redrawn in place five times a second by a daemon thread until {@link #finish}.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 60;

    private final PrintStream out;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final Thread painter;
    private volatile boolean finished;

    private ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = total;
        this.painter = new Thread(this::paintLoop, "progress-bar");
        painter.setDaemon(true);
    }

    /** A bar drawn on out, or a silent one when out is null. */
    public static ProgressBar start(PrintStream out, long total) {
        ProgressBar bar = new ProgressBar(out, total);
        if (out != null) {
            bar.painter.start();
        }
        return bar;
    }

    public void increment() {
        done.incrementAndGet();
    }

    public void add(long n) {
        done.addAndGet(n);
    }

    public long done() {
        return done.get();
    }

    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (out != null) {
            painter.interrupt();
            try {
                painter.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            paint();
            out.println();
            out.flush();
        }
    }

    @Override
    public void close() {
        finish();
    }

    private void paintLoop() {
        while (!finished) {
            paint();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void paint() {
        long n = Math.min(done.get(), total);
        double frac = total == 0 ? 1 : (double) n / total;
        int filled = (int) (frac * WIDTH);
        StringBuilder bar = new StringBuilder(WIDTH);
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : '-');
        }
        long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
        out.print(String.format(Locale.ROOT, "\r%d / %d [%s] %.2f%% %ds", n, total, bar, frac * 100, secs));
        out.flush();
    }
}
