package org.fedgen.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics table of a run as a CSV file (RFC 4180, {@code \n} line ends, UTF-8), rewritten whole and atomically on
 * every call so it is always complete and readable while a run is in progress.
 *
 * <p>The header is the union of the rows' column names in first-seen order (row by row, each row in its map's
 * iteration order). A cell is empty when its row lacks the column or holds null. Whole numbers below 10^15 in
 * magnitude are printed without a fraction ({@code 3}, not {@code 3.0}; {@code -0.0} prints as {@code 0}); every other
 * value is printed by {@link Double#toString(double)}, which {@link Double#parseDouble(String)} reads back to the same
 * double ({@code NaN}, {@code Infinity}, {@code -Infinity} included). Column names containing a comma, quote or line
 * break are quoted. Without any column the file is empty.
 */
public final class MetricsCsv {
    /** Whole numbers of smaller magnitude are exact in a long and printed as integers. */
    private static final double INTEGER_LIMIT = 1e15;

    private MetricsCsv() {
    }

    /**
     * Atomically replaces {@code file} with the table of {@code rows}.
     *
     * @throws IllegalArgumentException if a row is null or a column name is null or empty
     * @throws IOException              if the file cannot be written; the previous file is then unchanged
     */
    public static void write(Path file, List<Map<String, Double>> rows) throws IOException {
        AtomicFiles.writeString(file, format(rows));
    }

    /** The CSV text {@link #write} stores. */
    public static String format(List<Map<String, Double>> rows) {
        Objects.requireNonNull(rows, "rows");
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Double> row = rows.get(r);
            if (row == null) {
                throw new IllegalArgumentException("metrics row " + r + " is null");
            }
            for (String name : row.keySet()) {
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException("metrics row " + r + " has a null or empty column name");
                }
                columns.add(name);
            }
        }
        if (columns.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (String c : columns) {
            sb.append(first ? "" : ",").append(quote(c));
            first = false;
        }
        sb.append('\n');
        for (Map<String, Double> row : rows) {
            first = true;
            for (String c : columns) {
                if (!first) {
                    sb.append(',');
                }
                Double v = row.get(c);
                if (v != null) {
                    sb.append(number(v));
                }
                first = false;
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A value as the shortest text that reads back exactly; whole numbers without ".0". */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < INTEGER_LIMIT) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
