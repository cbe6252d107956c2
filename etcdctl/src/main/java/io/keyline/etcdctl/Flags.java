package io.keyline.etcdctl;

import java.time.Duration;

/** Flag value parsing with the error texts of Go's pflag, which etcdctl users see. */
public final class Flags {
    private Flags() {}

    /** A flag value pflag refused; printed as "invalid argument ...". */
    public static final class BadValue extends RuntimeException {
        public BadValue(String message) {
            super(message, null, false, false);
        }
    }

    static BadValue bad(String flag, String v, String why) {
        return new BadValue("invalid argument " + quote(v) + " for \"--" + flag + "\" flag: " + why);
    }

    private static String quote(String v) {
        return io.keyline.etcdctl.output.GoText.quote(v);
    }

    public static boolean bool(String flag, String v) {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw bad(flag, v, "strconv.ParseBool: parsing " + quote(v) + ": invalid syntax");
        };
    }

    public static Duration duration(String flag, String v) {
        try {
            return GoDuration.parse(v);
        } catch (IllegalArgumentException e) {
            throw bad(flag, v, e.getMessage());
        }
    }

    public static long int64(String flag, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(flag, v, "strconv.ParseInt: parsing " + quote(v) + ": "
                    + (v.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax"));
        }
    }
}
