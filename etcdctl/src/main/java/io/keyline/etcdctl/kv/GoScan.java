package io.keyline.etcdctl.kv;

import io.keyline.etcdctl.output.GoText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The parts of Go's fmt.Sscanf that etcdctl's compare syntax uses: %q, %s and literals. */
final class GoScan {
    private final String s;
    private int pos;

    GoScan(String s) {
        this.s = s;
    }

    static String quote(String v) {
        return GoText.quote(v == null ? "" : v);
    }

    private void skipSpaces() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\r')) {
            pos++;
        }
    }

    /** A literal format character must come next (after spaces, if it is itself a space). */
    boolean literal(char c) {
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            skipSpaces();
            return true;
        }
        return false;
    }

    /** %s: a run of non-space characters. */
    String word() {
        skipSpaces();
        int start = pos;
        while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        return start == pos ? null : s.substring(start, pos);
    }

    /** %q: a Go double-quoted (with escapes) or back-quoted string; null if there is none. */
    String quoted() {
        skipSpaces();
        if (pos >= s.length()) {
            return null;
        }
        char open = s.charAt(pos);
        if (open == '`') {
            int end = s.indexOf('`', pos + 1);
            if (end < 0) {
                return null;
            }
            String v = s.substring(pos + 1, end);
            pos = end + 1;
            return v;
        }
        if (open != '"') {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = pos + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return out.toString(StandardCharsets.UTF_8);
            }
            if (c == '\n') {
                return null;
            }
            if (c != '\\') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) {
                return null;
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case '\'' -> out.write('\'');
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > s.length()) {
                        return null;
                    }
                    int v;
                    try {
                        v = Integer.parseUnsignedInt(s.substring(i, i + n), 16);
                    } catch (NumberFormatException ex) {
                        return null;
                    }
                    i += n;
                    if (e == 'x') {
                        out.write(v);
                    } else {
                        byte[] b = new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8);
                        out.write(b, 0, b.length);
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7' && i + 1 < s.length()) {
                        out.write(Integer.parseInt(s.substring(i - 1, i + 2), 8));
                        i += 2;
                    } else {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
