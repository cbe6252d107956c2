package io.keyline.etcdctl;

import io.keyline.etcdctl.output.GoText;

/** Go's strconv number parsing, whose error texts etcdctl passes on to the user. */
public final class GoParse {
    private GoParse() {}

    /** strconv.ParseInt(s, base, 64); the message is Go's "strconv.ParseInt: parsing ...". */
    public static long parseInt(String s, int base) {
        try {
            if (s.isEmpty() || s.startsWith("+") && s.length() == 1 || s.contains("_")) {
                throw new NumberFormatException();
            }
            String t = s.startsWith("+") ? s.substring(1) : s;
            return Long.parseLong(t, base);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing " + GoText.quote(s) + ": "
                    + (isRange(s, base) ? "value out of range" : "invalid syntax"));
        }
    }

    /** strconv.ParseUint(s, base, 64). */
    public static long parseUint(String s, int base) {
        try {
            if (s.isEmpty() || s.startsWith("+") || s.startsWith("-") || s.contains("_")) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(s, base);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing " + GoText.quote(s) + ": "
                    + (isRange(s, base) && !s.startsWith("-") && !s.startsWith("+") ? "value out of range" : "invalid syntax"));
        }
    }

    private static boolean isRange(String s, int base) {
        String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        if (t.isEmpty()) {
            return false;
        }
        for (char c : t.toCharArray()) {
            if (Character.digit(c, base) < 0) {
                return false;
            }
        }
        return true;
    }
}
