package io.keyline.replication;

/**
 * Read-index batching, lease queries on a follower and Ratis' leadership transfer run on
 * CompletableFuture's default async pool. With the common pool's parallelism at 1 (the JDK's default
 * on two cores) that pool is a new thread per task; at 2 it is the ordinary common pool.
 */
public final class CommonPoolFloor {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPoolFloor() {
    }

    /** Must run before anything touches ForkJoinPool or CompletableFuture; the process's first line. */
    public static void apply() {
        if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() - 1 < 2) {
            System.setProperty(PARALLELISM, "2");
        }
    }
}
