package io.keyline.etcdctl.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The box table etcdctl draws with olekukonko/tablewriter: upper-case headers centred, cells
 * right-aligned, one space of padding, +-| borders.
 */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> header) {
        this.header = header;
    }

    public void add(List<String> row) {
        rows.add(row);
    }

    public String render() {
        int n = header.size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = len(header.get(i));
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], len(r.get(i)));
            }
        }
        StringBuilder line = new StringBuilder("+");
        for (int w : width) {
            line.append("-".repeat(w + 2)).append('+');
        }
        line.append('\n');
        StringBuilder sb = new StringBuilder(line);
        sb.append('|');
        for (int i = 0; i < n; i++) {
            String h = header.get(i).toUpperCase(Locale.ROOT);
            int pad = width[i] - len(h);
            int left = pad / 2;
            sb.append(' ').append(" ".repeat(left)).append(h).append(" ".repeat(pad - left)).append(" |");
        }
        sb.append('\n').append(line);
        for (List<String> r : rows) {
            sb.append('|');
            for (int i = 0; i < n; i++) {
                String c = r.get(i);
                sb.append(' ').append(" ".repeat(width[i] - len(c))).append(c).append(" |");
            }
            sb.append('\n');
        }
        sb.append(line);
        return sb.toString();
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
