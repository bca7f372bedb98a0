package org.fedgen.runs.table;

import java.util.Locale;

/** The type of a table column, which fixes how its values are parsed, encoded and written back. */
public enum ColumnType {
    /** A real number, min–max scaled; samples are rounded to the column's decimals. */
    NUMERIC,
    /** A whole number, min–max scaled; samples are rounded to the nearest integer. */
    INTEGER,
    /** One of a finite list of strings, one-hot encoded; samples take the most likely category. */
    CATEGORICAL,
    /** {@code true} or {@code false} (any case), one feature; samples are written {@code true} / {@code false}. */
    BOOLEAN,
    /** A calendar date (ISO {@code yyyy-MM-dd} unless the schema gives a pattern), min–max scaled as a day count. */
    DATE;

    /** The name in schema files, e.g. {@code numeric}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether values are ordered numbers (numeric, integer, date) rather than labels. */
    public boolean ordered() {
        return this == NUMERIC || this == INTEGER || this == DATE;
    }

    /**
     * The type of a schema file's name.
     *
     * @throws IllegalArgumentException naming the unknown type and the valid ones
     */
    public static ColumnType parse(String name) {
        return SchemaNames.parse(values(), name, "column type");
    }
}
