package io.keyline.etcdctl.output;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** go-humanize's Bytes(): SI units, "20 kB", as etcdctl prints db sizes. */
public final class Humanize {
    private static final String[] SIZES = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    private Humanize() {}

    public static String bytes(long s) {
        if (s < 10) {
            return s + " B";
        }
        int e = (int) Math.floor(Math.log(s) / Math.log(1000));
        double val = Math.floor(s / Math.pow(1000, e) * 10 + 0.5) / 10;
        // Go's %.0f / %.1f round the exact binary value half to even.
        int scale = val < 10 ? 1 : 0;
        return new BigDecimal(val).setScale(scale, RoundingMode.HALF_EVEN).toPlainString() + " " + SIZES[e];
    }
}
