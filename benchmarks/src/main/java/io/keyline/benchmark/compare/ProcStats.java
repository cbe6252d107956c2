package io.keyline.benchmark.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A server process's cost from /proc: CPU seconds (utime + stime of /proc/PID/stat, in clock ticks)
 * and peak resident memory (VmHWM of /proc/PID/status). Writing 5 to /proc/PID/clear_refs resets
 * the peak, so each run can have its own.
 */
final class ProcStats {
    /** USER_HZ; 100 on every Linux that ships a standard kernel config. */
    private static final double CLOCK_TICKS = 100.0;

    private ProcStats() {}

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            // the command name may hold spaces: fields are counted after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat are utime and stime; f[0] is field 3
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return -1;
    }

    /** Resets VmHWM to the current RSS; false if the kernel refused (then peaks are since start). */
    static boolean resetPeak(long pid) {
        Path p = Paths.get("/proc", Long.toString(pid), "clear_refs");
        try {
            Files.writeString(p, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
