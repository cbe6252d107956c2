package io.keyline.etcdctl.output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Go's text conventions that etcdctl's output inherits: %q quoting, %x, and --hex's "\x.." form. */
public final class GoText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoText() {}

    /** --hex: every byte as \xNN. */
    public static byte[] hexEscaped(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 4);
        for (byte x : b) {
            sb.append("\\x").append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static String quote(String s) {
        return quote(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Go's strconv.Quote over the bytes of a string: printable runes stay, the usual C escapes,
     * \xNN for bytes that are not UTF-8, \\u or \\U for unprintable runes.
     */
    public static String quote(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + 2).append('"');
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                appendAscii(sb, c);
                i++;
                continue;
            }
            int len = utf8Length(b, i);
            if (len == 0) {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                i++;
                continue;
            }
            int cp = new String(b, i, len, StandardCharsets.UTF_8).codePointAt(0);
            if (isPrintable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp < 0x10000) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.append(String.format("\\U%08x", cp));
            }
            i += len;
        }
        return sb.append('"').toString();
    }

    private static void appendAscii(StringBuilder sb, int c) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 11 -> sb.append("\\v");
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    sb.append((char) c);
                }
            }
        }
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return !(type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || (type == Character.SPACE_SEPARATOR && cp != ' '));
    }

    /** Length of a valid UTF-8 sequence at b[i], or 0 when the bytes there are not valid UTF-8. */
    static int utf8Length(byte[] b, int i) {
        int c = b[i] & 0xff;
        int n;
        int min;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        int cp = c & (0xff >> (n + 1));
        for (int k = 1; k < n; k++) {
            int cc = b[i + k] & 0xff;
            if ((cc & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        return n;
    }

    /** Go's %x of an unsigned 64-bit number. */
    public static String hex(long v) {
        return Long.toUnsignedString(v, 16);
    }

    /** Go's %16x: hex, left-padded with spaces to 16. */
    public static String hex16(long v) {
        return String.format("%16s", hex(v));
    }

    /** Go's %016x of an int64 (negative ids print with a sign, as Go does). */
    public static String hex016(long v) {
        if (v < 0) {
            return "-" + String.format("%015x", -v);
        }
        return String.format("%016x", v);
    }

    /** Joins raw byte strings with a separator, for output that must keep bytes as they are. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }
}
