package io.keyline.gateway.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident and virtual memory as the kernel reports them in /proc/self/status, for
 * the process_* metrics Prometheus' Go client exports and etcdctl check datascale reads.
 */
final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    static long residentBytes() {
        return field("VmRSS:");
    }

    static long virtualBytes() {
        return field("VmSize:");
    }

    /** A "Name:   1234 kB" line in bytes; unavailable (an exception the renderer skips) off Linux. */
    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATUS, e);
        }
        throw new IllegalStateException(name + " missing from " + STATUS);
    }
}
