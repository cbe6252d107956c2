package io.keyline.benchmark.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Number formats of etcd's report: "%4.4f" by default, and Go's shortest "%g" under --precise.
 * Go's "%g" with no precision prints the fewest digits that round-trip, in exponent form when the
 * decimal exponent is below -4 or at least 6 (so 1234567.8 prints "1.2345678e+06").
 */
public final class GoFloat {
    private GoFloat() {}

    public static String format(double v, boolean precise) {
        return precise ? g(v) : String.format(Locale.ROOT, "%4.4f", v);
    }

    static String g(double v) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        // Double.toString gives the shortest digits that round-trip, as Go's strconv does
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String digits = d.unscaledValue().abs().toString();
            StringBuilder s = new StringBuilder(v < 0 ? "-" : "");
            s.append(digits.charAt(0));
            if (digits.length() > 1) {
                s.append('.').append(digits, 1, digits.length());
            }
            s.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            s.append(a < 10 ? "0" + a : Integer.toString(a));
            return s.toString();
        }
        return d.toPlainString();
    }
}
