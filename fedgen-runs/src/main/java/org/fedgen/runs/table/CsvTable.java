package org.fedgen.runs.table;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.fedgen.core.io.AtomicFiles;

/**
 * The raw rows of a CSV file with a header (RFC 4180 quoting, read by Commons CSV): strings as written, each row
 * remembering the line it came from so errors can name file, line and column (the record number, which is the line
 * unless a quoted field spans lines). Every row has exactly the header's number of fields; an empty line is a record
 * of one empty field (a missing value of a one-column table, a ragged row otherwise). Immutable.
 */
public final class CsvTable {
    private final String source;
    private final List<String> header;
    private final List<String[]> rows;
    private final int[] lines;

    private CsvTable(String source, List<String> header, List<String[]> rows, int[] lines) {
        this.source = source;
        this.header = List.copyOf(header);
        this.rows = rows;
        this.lines = lines;
    }

    /**
     * Reads a UTF-8 CSV file whose first record is the header.
     *
     * @throws UncheckedIOException     if the file cannot be read, naming it
     * @throws IllegalArgumentException naming file and line of a ragged row, an empty or repeated header name, a
     *                                  malformed quote, or a file without rows
     */
    public static CsvTable read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses CSV text whose first record is the header.
     *
     * @param source named in messages (e.g. the file)
     * @throws IllegalArgumentException as for {@link #read(Path)}
     */
    public static CsvTable parse(Reader in, String source) throws IOException {
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (CSVParser p = CSVParser.builder().setReader(in).setFormat(CSVFormat.RFC4180).get()) {
            for (CSVRecord rec : p) {
                int line = (int) rec.getRecordNumber();
                String[] fields = rec.values();
                if (header == null) {
                    header = header(fields, source);
                    continue;
                }
                if (fields.length != header.size()) {
                    throw new IllegalArgumentException(source + " line " + line + ": " + fields.length
                            + " fields, but the header has " + header.size() + " columns");
                }
                rows.add(fields);
                lines.add(line);
            }
        } catch (UncheckedIOException e) {
            // Commons CSV reports a malformed quote this way
            throw new IllegalArgumentException(source + ": malformed CSV: " + e.getCause().getMessage(), e);
        }
        if (header == null) {
            throw new IllegalArgumentException(source + ": empty file, a header line is expected");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": a header but no rows");
        }
        return new CsvTable(source, header, rows, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<String> header(String[] fields, String source) {
        if (fields.length > 0 && fields[0].startsWith("\uFEFF")) {
            fields[0] = fields[0].substring(1);
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < fields.length; c++) {
            if (fields[c].isBlank()) {
                throw new IllegalArgumentException(source + " line 1: column " + (c + 1) + " has an empty name");
            }
            if (!seen.add(fields[c])) {
                throw new IllegalArgumentException(source + " line 1: column name '" + fields[c] + "' repeats");
            }
        }
        return List.of(fields);
    }

    /** Rows in memory (e.g. decoded samples), numbered from line 2 as if written under the header. */
    public static CsvTable of(String source, List<String> header, List<String[]> rows) {
        int[] lines = new int[rows.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i + 2;
            if (rows.get(i).length != header.size()) {
                throw new IllegalArgumentException(source + " row " + (i + 1) + ": " + rows.get(i).length
                        + " fields, but the header has " + header.size() + " columns");
            }
        }
        return new CsvTable(source, header, List.copyOf(rows), lines);
    }

    /** Where the rows came from, as named in messages. */
    public String source() {
        return source;
    }

    /** The column names in file order. */
    public List<String> header() {
        return header;
    }

    /** Number of rows (the header not counted). */
    public int size() {
        return rows.size();
    }

    /** Field {@code column} of row {@code row}. */
    public String get(int row, int column) {
        return rows.get(row)[column];
    }

    /** The file line of row {@code row} (the header is line 1). */
    public int line(int row) {
        return lines[row];
    }

    /** "file line L, column 'name'", for messages about one field. */
    public String where(int row, int column) {
        return source + " line " + lines[row] + ", column '" + header.get(column) + "'";
    }

    /**
     * The index of a column.
     *
     * @throws IllegalArgumentException naming the file and the columns it has
     */
    public int column(String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException(source + " has no column '" + name + "'; columns: " + header);
        }
        return c;
    }

    /** The rows at these indices, in this order (lines kept). */
    public CsvTable subset(int[] indices) {
        List<String[]> r = new ArrayList<>(indices.length);
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            r.add(rows.get(indices[i]));
            l[i] = lines[indices[i]];
        }
        return new CsvTable(source, header, r, l);
    }

    /**
     * The rows of several tables with one header, in order.
     *
     * @throws IllegalArgumentException if the headers differ or there are no tables
     */
    public static CsvTable concat(List<CsvTable> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no tables to concatenate");
        }
        CsvTable first = parts.get(0);
        List<String[]> r = new ArrayList<>();
        List<Integer> l = new ArrayList<>();
        for (CsvTable t : parts) {
            if (!t.header.equals(first.header)) {
                throw new IllegalArgumentException(t.source + " has columns " + t.header + ", " + first.source
                        + " has " + first.header);
            }
            for (int i = 0; i < t.size(); i++) {
                r.add(t.rows.get(i));
                l.add(t.lines[i]);
            }
        }
        return new CsvTable(first.source, first.header, r, l.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The table as CSV text (header first, RFC 4180 quoting, CRLF line ends). */
    public String toCsv() {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180)) {
            p.printRecord(header);
            for (String[] row : rows) {
                p.printRecord((Object[]) row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Writes the table as CSV, atomically.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public void write(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            AtomicFiles.writeString(file, toCsv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
