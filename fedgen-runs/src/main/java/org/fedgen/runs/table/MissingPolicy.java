package org.fedgen.runs.table;

import java.util.Locale;

/**
 * What a column does with a missing value (a field equal to one of the schema's missing tokens, by default only the
 * empty field).
 */
public enum MissingPolicy {
    /** The default: a missing value is an error naming file, line and column. */
    REFUSE,
    /** Categorical columns: missing is one more category, written back as an empty field. */
    CATEGORY,
    /** Numeric, integer and date columns: a missing value is replaced by the column's mean before encoding. */
    MEAN;

    /** The name in schema files, e.g. {@code refuse}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy of a schema file's name.
     *
     * @throws IllegalArgumentException naming the unknown policy and the valid ones
     */
    public static MissingPolicy parse(String name) {
        return SchemaNames.parse(values(), name, "missing-value policy");
    }
}
