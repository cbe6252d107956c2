package io.keyline.benchmark.client;

/** A failure that ends the benchmark (etcd's benchmark prints it and exits 1, or panics). */
public final class BenchmarkFailure extends RuntimeException {
    public BenchmarkFailure(String message) {
        super(message);
    }

    public BenchmarkFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
