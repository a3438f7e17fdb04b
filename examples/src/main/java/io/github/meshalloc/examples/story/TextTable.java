package io.github.meshalloc.examples.story;

import com.google.common.base.Preconditions;
import com.google.common.base.Strings;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row, a rule, and rows; cells that look like numbers are right-aligned.
 *
 * @param headers column headers
 * @param rows    rows, each with one cell per header
 */
public record TextTable(List<String> headers, List<List<String>> rows) {

    /** Validates that every row has one cell per header. */
    public TextTable {
        headers = List.copyOf(headers);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : rows) {
            Preconditions.checkArgument(row.size() == headers.size(), "row %s has %s cells for %s headers", row,
                    row.size(), headers.size());
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    /** The cell at (row, column header). */
    public String cell(int row, String header) {
        int column = headers.indexOf(header);
        Preconditions.checkArgument(column >= 0, "no column '%s' in %s", header, headers);
        return rows.get(row).get(column);
    }

    /** Renders with two spaces between columns; every line ends with a newline. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths, true);
        int total = 0;
        for (int w : widths) {
            total += w + 2;
        }
        sb.append(Strings.repeat("-", Math.max(0, total - 2))).append('\n');
        for (List<String> row : rows) {
            line(sb, row, widths, false);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths, boolean header) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            boolean right = !header && c > 0 && numeric(cell);
            if (c > 0) {
                line.append("  ");
            }
            line.append(right ? Strings.padStart(cell, widths[c], ' ') : Strings.padEnd(cell, widths[c], ' '));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static boolean numeric(String cell) {
        return !cell.isEmpty() && cell.chars().allMatch(ch -> Character.isDigit(ch) || ch == ',' || ch == '-'
                || ch == '>' || ch == ' ' || ch == '.');
    }
}
