package org.fedgen.runs.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-column statistics of one party's rows (a client's shard, or one file) that merge across parties, and the
 * complete schema they give together with the declarations. This is what clients share so that the transforms of a
 * federated run never see pooled rows. Reading the rows also checks them against the declarations: a value of the
 * wrong type, outside a declared range or not among declared categories, and a missing value where the policy refuses
 * it, is an error naming file, line and column.
 */
public final class TableStatistics {
    private final List<String> header;
    private final Map<String, ColumnStatistics> columns;

    private TableStatistics(List<String> header, Map<String, ColumnStatistics> columns) {
        this.header = header;
        this.columns = columns;
    }

    /**
     * The statistics of one party's rows under the schema's declarations.
     *
     * @throws IllegalArgumentException naming file, line and column of the first value the declarations refuse, or
     *                                  a declared column the table lacks
     */
    public static TableStatistics of(CsvTable table, TableSchema schema) {
        schema.checkAgainst(table);
        Map<String, ColumnStatistics> m = new LinkedHashMap<>();
        for (int c = 0; c < table.header().size(); c++) {
            String name = table.header().get(c);
            ColumnSpec spec = schema.column(name);
            ColumnStatistics s = new ColumnStatistics();
            for (int r = 0; r < table.size(); r++) {
                String v = table.get(r, c);
                if (schema.isMissing(v)) {
                    if (spec == null || spec.missing() == MissingPolicy.REFUSE) {
                        throw new IllegalArgumentException(table.where(r, c) + ": missing value (\"" + v
                                + "\"); missing values are refused unless the schema gives the column \"missing\": "
                                + "\"category\" (categorical) or \"mean\" (numeric, integer, date)");
                    }
                    s.missing++;
                    continue;
                }
                if (spec != null) {
                    check(spec, v, table, r, c);
                }
                s.add(v, spec != null ? spec.format() : null);
            }
            m.put(name, s);
        }
        return new TableStatistics(table.header(), m);
    }

    private static void check(ColumnSpec spec, String v, CsvTable t, int r, int c) {
        if (spec.type() == ColumnType.CATEGORICAL) {
            if (spec.categories() != null && !spec.categories().contains(v)) {
                throw new IllegalArgumentException(t.where(r, c) + ": unknown category '" + v
                        + "'; the schema declares " + spec.categories());
            }
            return;
        }
        Double x = Values.parse(spec.type(), v, spec.format());
        if (x == null) {
            throw new IllegalArgumentException(t.where(r, c) + ": '" + v + "' is not "
                    + Values.expected(spec.type(), spec.format()));
        }
        if (spec.min() != null && x < spec.min() || spec.max() != null && x > spec.max()) {
            throw new IllegalArgumentException(t.where(r, c) + ": " + v + " is outside the declared range");
        }
    }

    /**
     * The statistics of all parties together, merged in the given (client-id) order.
     *
     * @throws IllegalArgumentException if there are none or their headers differ
     */
    public static TableStatistics merge(List<TableStatistics> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no statistics to merge");
        }
        List<String> header = parts.get(0).header;
        Map<String, ColumnStatistics> m = new LinkedHashMap<>();
        for (String name : header) {
            m.put(name, new ColumnStatistics());
        }
        for (TableStatistics p : parts) {
            if (!p.header.equals(header)) {
                throw new IllegalArgumentException("statistics of different headers: " + p.header + " vs " + header);
            }
            for (String name : header) {
                m.get(name).merge(p.columns.get(name));
            }
        }
        return new TableStatistics(header, m);
    }

    /**
     * One complete declaration per header column, in header order: the schema's declarations with what they leave
     * open taken from these statistics, and undeclared columns inferred (the most specific type all present values
     * fit: boolean, integer, numeric, date, else categorical), their categories in sorted order.
     *
     * @throws IllegalArgumentException naming a column with no present value, or an undeclared text column with more
     *                                  than 100 distinct values
     */
    public TableSchema fit(TableSchema schema) {
        Map<String, ColumnSpec> out = new LinkedHashMap<>();
        for (String name : header) {
            ColumnStatistics s = columns.get(name);
            ColumnSpec d = schema.column(name);
            if (d != null && d.complete()) {
                out.put(name, d);
                continue;
            }
            if (s.present == 0) {
                throw new IllegalArgumentException("column '" + name + "' has no present value to infer "
                        + (d == null ? "its type" : d.lacks()) + " from; declare it in the schema");
            }
            ColumnType type = d != null ? d.type() : s.inferredType();
            MissingPolicy policy = d != null ? d.missing() : MissingPolicy.REFUSE;
            out.put(name, switch (type) {
                case CATEGORICAL -> {
                    if (d == null && s.tooManyCategories) {
                        throw new IllegalArgumentException("column '" + name + "' reads as text with more than "
                                + ColumnStatistics.MAX_CATEGORIES + " distinct values; declare its type in the "
                                + "schema (a number column with a stray non-number is refused here too) or drop it");
                    }
                    yield new ColumnSpec(name, type, null, null, d != null && d.categories() != null
                            ? d.categories() : new ArrayList<>(s.categories), policy, null, null, null);
                }
                case BOOLEAN -> new ColumnSpec(name, type, null, null, null, policy, null, null, null);
                case DATE -> new ColumnSpec(name, type, or(d == null ? null : d.min(), s.dateMin),
                        or(d == null ? null : d.max(), s.dateMax), null, policy,
                        or(d == null ? null : d.mean(), s.dateSum / s.present), null,
                        d == null ? null : d.format());
                case NUMERIC, INTEGER -> new ColumnSpec(name, type, or(d == null ? null : d.min(), s.min),
                        or(d == null ? null : d.max(), s.max), null, policy,
                        or(d == null ? null : d.mean(), s.sum / s.present),
                        type == ColumnType.NUMERIC ? (d != null && d.decimals() != null ? d.decimals() : s.decimals)
                                : null, null);
            });
        }
        return new TableSchema(out, schema.missingTokens());
    }

    private static Double or(Double declared, double fitted) {
        return declared != null ? declared : fitted;
    }

    /** Present (non-missing) values of a column. */
    public long present(String column) {
        return columns.get(column).present;
    }

    /** Missing values of a column. */
    public long missing(String column) {
        return columns.get(column).missing;
    }
}
