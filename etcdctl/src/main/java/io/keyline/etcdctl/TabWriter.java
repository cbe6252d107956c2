package io.keyline.etcdctl;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter as etcdctl's help uses it (min width 0, tab width 8, padding 1, padding
 * with tabs): tab-terminated cells are aligned per column block, a block being consecutive
 * lines that have a cell in that column.
 */
final class TabWriter {
    private static final int TAB_WIDTH = 8;
    private static final int PADDING = 1;

    private final List<List<String>> lines = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();

    private TabWriter(String text) {
        for (String line : text.split("\n", -1)) {
            List<String> cells = new ArrayList<>(List.of(line.split("\t", -1)));
            lines.add(cells);
        }
    }

    static String format(String text) {
        TabWriter w = new TabWriter(text);
        w.format(0, w.lines.size());
        return w.out.toString();
    }

    private void format(int line0, int line1) {
        int column = widths.size();
        for (int cur = line0; cur < line1; cur++) {
            if (column >= lines.get(cur).size() - 1) {
                continue;
            }
            writeLines(line0, cur);
            line0 = cur;
            int width = 0;
            for (; cur < line1; cur++) {
                List<String> line = lines.get(cur);
                if (column >= line.size() - 1) {
                    break;
                }
                width = Math.max(width, len(line.get(column)) + PADDING);
            }
            widths.add(width);
            format(line0, cur);
            widths.remove(widths.size() - 1);
            line0 = cur;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            List<String> line = lines.get(i);
            for (int j = 0; j < line.size(); j++) {
                String c = line.get(j);
                out.append(c);
                if (j < widths.size() && j < line.size() - 1) {
                    int cellw = (widths.get(j) + TAB_WIDTH - 1) / TAB_WIDTH * TAB_WIDTH;
                    int n = cellw - len(c);
                    out.append("\t".repeat((n + TAB_WIDTH - 1) / TAB_WIDTH));
                } else if (j < line.size() - 1) {
                    out.append('\t');
                }
            }
            if (i + 1 < lines.size()) {
                out.append('\n');
            }
        }
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
