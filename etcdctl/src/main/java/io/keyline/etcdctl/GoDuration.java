package io.keyline.etcdctl;

import java.math.BigDecimal;
import java.time.Duration;

/** Go's time.Duration text form, which etcdctl's flags take ("5s", "1m30s") and print ("1.334402ms"). */
public final class GoDuration {
    private static final String[] UNITS = {"ns", "us", "µs", "μs", "ms", "s", "m", "h"};
    private static final long[] NANOS = {1L, 1_000L, 1_000L, 1_000L, 1_000_000L, 1_000_000_000L,
            60_000_000_000L, 3_600_000_000_000L};

    private GoDuration() {}

    public static Duration parse(String s) {
        String orig = s;
        if (s.isEmpty()) {
            throw invalid(orig);
        }
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(orig);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw invalid(orig);
            }
            BigDecimal number = new BigDecimal(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            int u = indexOf(unit);
            if (u < 0) {
                throw new IllegalArgumentException(unit.isEmpty()
                        ? "time: missing unit in duration \"" + orig + "\""
                        : "time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
            }
            total = total.add(number.multiply(BigDecimal.valueOf(NANOS[u])));
        }
        long nanos = total.longValue();
        return Duration.ofNanos(neg ? -nanos : nanos);
    }

    private static int indexOf(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("time: invalid duration \"" + s + "\"");
    }

    /** Go's Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
    public static String format(Duration d) {
        long n = d.toNanos();
        if (n == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        boolean neg = n < 0;
        long u = Math.abs(n);
        if (u < 1_000_000_000L) {
            if (u < 1_000L) {
                sb.append(u).append("ns");
            } else if (u < 1_000_000L) {
                sb.append(fraction(u, 3)).append("µs");
            } else {
                sb.append(fraction(u, 6)).append("ms");
            }
        } else {
            long secNanos = u % 60_000_000_000L;
            long mins = u / 60_000_000_000L;
            String secs = fraction(secNanos, 9) + "s";
            if (mins == 0) {
                sb.append(secs);
            } else {
                long hours = mins / 60;
                mins = mins % 60;
                if (hours > 0) {
                    sb.append(hours).append('h');
                }
                sb.append(mins).append('m').append(secs);
            }
        }
        return neg ? "-" + sb : sb.toString();
    }

    /** v scaled down by 10^digits with trailing zeros of the fraction dropped, as Go's fmtFrac does. */
    private static String fraction(long v, int digits) {
        long pow = (long) Math.pow(10, digits);
        long whole = v / pow;
        long frac = v % pow;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%0" + digits + "d", frac).replaceAll("0+$", "");
        return whole + "." + f;
    }
}
