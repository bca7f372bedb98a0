package org.fedgen.runs.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Column declarations of a table: those a schema file gives, and after {@link TableStatistics#fit} one complete
 * declaration per header column. A schema file is a JSON object:
 * <pre>{@code
 * {"missing": ["", "NA"],
 *  "columns": {
 *    "species":   {"type": "categorical", "categories": ["Adelie", "Chinstrap", "Gentoo"]},
 *    "body_mass": {"type": "integer", "min": 2500, "max": 6500, "missing": "mean", "mean": 4200},
 *    "bill":      {"type": "numeric", "min": 30, "max": 60, "decimals": 1},
 *    "sex":       {"type": "categorical", "missing": "category"},
 *    "visited":   {"type": "date", "format": "dd.MM.yyyy", "min": "01.01.2007", "max": "31.12.2009"}}}
 * }</pre>
 * {@code missing} at the top lists the field texts that mean "missing" (default: only the empty field); a column's
 * {@code missing} is its policy ({@code refuse}, the default; {@code category}; {@code mean}). Columns the file does
 * not name are inferred from the clients' statistics; every named column must be in the CSV header.
 *
 * @param columns       declarations by column name, in declaration order
 * @param missingTokens field texts read as missing
 */
public record TableSchema(Map<String, ColumnSpec> columns, List<String> missingTokens) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("type", "min", "max", "categories", "missing", "mean",
            "decimals", "format");

    /** Copies both collections. */
    public TableSchema {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        missingTokens = List.copyOf(missingTokens);
    }

    /** No declarations: every column is inferred; only the empty field is missing. */
    public static TableSchema empty() {
        return new TableSchema(Map.of(), List.of(""));
    }

    /** Whether a field's text means "missing". */
    public boolean isMissing(String field) {
        return missingTokens.contains(field);
    }

    /** The declaration of a column, or null. */
    public ColumnSpec column(String name) {
        return columns.get(name);
    }

    /**
     * Checks that every declared column is in the header.
     *
     * @throws IllegalArgumentException naming the column and the table
     */
    public void checkAgainst(CsvTable table) {
        for (String name : columns.keySet()) {
            if (!table.header().contains(name)) {
                throw new IllegalArgumentException("the schema declares column '" + name + "', which "
                        + table.source() + " does not have; its columns: " + table.header());
            }
        }
    }

    /**
     * The first header column without a complete declaration, with what it lacks, or null if every column's transform
     * can be built from the schema alone.
     */
    public String incompleteColumn(List<String> header) {
        for (String name : header) {
            ColumnSpec c = columns.get(name);
            if (c == null) {
                return "column '" + name + "' is not declared";
            }
            if (!c.complete()) {
                return "column '" + name + "' (" + c.type() + ") does not declare " + c.lacks();
            }
        }
        return null;
    }

    /** The schema without one column (e.g. a classifier's target). */
    public TableSchema without(String name) {
        Map<String, ColumnSpec> m = new LinkedHashMap<>(columns);
        m.remove(name);
        return new TableSchema(m, missingTokens);
    }

    /**
     * Reads a schema file.
     *
     * @throws UncheckedIOException     if it cannot be read, naming it
     * @throws IllegalArgumentException naming the file, the column and the bad or unknown setting
     */
    public static TableSchema read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses schema JSON; {@code source} is named in messages. */
    public static TableSchema parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a schema must be a JSON object with 'columns'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("columns") && !f.equals("missing")) {
                throw new IllegalArgumentException(source + ": unknown field '" + f + "'; valid: columns, missing");
            }
        }
        List<String> tokens = root.has("missing") ? strings(root.get("missing"), source + ": 'missing'")
                : List.of("");
        JsonNode cols = root.path("columns");
        if (!cols.isObject()) {
            throw new IllegalArgumentException(source + ": 'columns' must be an object of column name -> declaration");
        }
        Map<String, ColumnSpec> columns = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = source + ": column '" + e.getKey() + "'";
            try {
                columns.put(e.getKey(), column(e.getKey(), e.getValue(), where));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(ex.getMessage().startsWith(source) ? ex.getMessage()
                        : source + ": " + ex.getMessage(), ex);
            }
        }
        return new TableSchema(columns, tokens);
    }

    private static ColumnSpec column(String name, JsonNode n, String where) {
        if (!n.isObject() || !n.has("type")) {
            throw new IllegalArgumentException(where + " must be an object with a 'type'");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown setting '" + f + "'; valid: " + FIELDS);
            }
        }
        ColumnType type = ColumnType.parse(n.get("type").asText());
        String format = n.has("format") ? n.get("format").asText() : null;
        if (format != null) {
            try {
                Values.formatter(format);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": bad date format '" + format + "': " + e.getMessage());
            }
        }
        Double min = value(n.get("min"), type, format, where + " min");
        Double max = value(n.get("max"), type, format, where + " max");
        Double mean = value(n.get("mean"), type, format, where + " mean");
        List<String> categories = n.has("categories") ? strings(n.get("categories"), where + " categories") : null;
        MissingPolicy missing = n.has("missing") ? MissingPolicy.parse(n.get("missing").asText())
                : MissingPolicy.REFUSE;
        Integer decimals = null;
        if (n.has("decimals")) {
            if (!n.get("decimals").canConvertToInt() || !n.get("decimals").isIntegralNumber()) {
                throw new IllegalArgumentException(where + ": decimals must be an integer");
            }
            decimals = n.get("decimals").intValue();
        }
        return new ColumnSpec(name, type, min, max, categories, missing, mean, decimals, format);
    }

    /** A number, or for a date column a date string in the column's format, as the column's internal value. */
    private static Double value(JsonNode n, ColumnType type, String format, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (type == ColumnType.DATE) {
            Double d = n.isTextual() ? Values.date(n.asText(), format) : null;
            if (d == null) {
                throw new IllegalArgumentException(where + " must be a date like "
                        + Values.formatter(format).format(LocalDate.of(2024, 1, 31)) + ", got " + n);
            }
            return d;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(where + " must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static List<String> strings(JsonNode n, String where) {
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(where + " must be an array of strings, got " + e);
            }
            out.add(e.asText());
        }
        return out;
    }
}
