package org.fedgen.runs.table;

import java.util.List;
import java.util.Objects;

/**
 * What is known about one column: its type and, once declared or fitted, what its transform needs. Dates hold their
 * range as day numbers since 1970-01-01.
 *
 * @param name       the header name
 * @param type       the column type
 * @param min        lower end of the range of numeric, integer and date columns; null = not yet known
 * @param max        upper end of that range; null = not yet known
 * @param categories categorical columns: the categories in one-hot order; null = not yet known
 * @param missing    what a missing value becomes
 * @param mean       the value a missing one is replaced by under {@link MissingPolicy#MEAN}; null = not yet known
 * @param decimals   numeric columns: decimals samples are rounded to; null = as many as a double needs
 * @param format     date columns: a {@link java.time.format.DateTimeFormatter} pattern; null = ISO yyyy-MM-dd
 */
public record ColumnSpec(String name, ColumnType type, Double min, Double max, List<String> categories,
        MissingPolicy missing, Double mean, Integer decimals, String format) {

    /**
     * Checks that the settings fit the type.
     *
     * @throws IllegalArgumentException naming the column and the setting that does not apply
     */
    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        missing = missing == null ? MissingPolicy.REFUSE : missing;
        categories = categories == null ? null : List.copyOf(categories);
        String where = "column '" + name + "' (" + type + ")";
        if (categories != null && type != ColumnType.CATEGORICAL) {
            throw new IllegalArgumentException(where + ": categories apply only to categorical columns");
        }
        if (categories != null && (categories.isEmpty() || categories.stream().distinct().count()
                != categories.size())) {
            throw new IllegalArgumentException(where + ": categories must be a non-empty list without repeats, got "
                    + categories);
        }
        if ((min != null || max != null) && !type.ordered()) {
            throw new IllegalArgumentException(where + ": min and max apply only to numeric, integer and date "
                    + "columns");
        }
        if (min != null && max != null && !(min <= max && Double.isFinite(min) && Double.isFinite(max))) {
            throw new IllegalArgumentException(where + ": min " + min + " and max " + max
                    + " must be finite with min <= max");
        }
        if (missing == MissingPolicy.CATEGORY && type != ColumnType.CATEGORICAL) {
            throw new IllegalArgumentException(where + ": missing 'category' applies only to categorical columns");
        }
        if ((missing == MissingPolicy.MEAN || mean != null) && !type.ordered()) {
            throw new IllegalArgumentException(where + ": missing 'mean' applies only to numeric, integer and date "
                    + "columns");
        }
        if (decimals != null && (type != ColumnType.NUMERIC || decimals < 0 || decimals > 15)) {
            throw new IllegalArgumentException(where + ": decimals must be 0..15 and apply only to numeric columns");
        }
        if (format != null && type != ColumnType.DATE) {
            throw new IllegalArgumentException(where + ": format applies only to date columns");
        }
    }

    /** A column of this type with nothing else known and missing values refused. */
    public static ColumnSpec of(String name, ColumnType type) {
        return new ColumnSpec(name, type, null, null, null, MissingPolicy.REFUSE, null, null, null);
    }

    /**
     * Whether the transform needs nothing more: the range of an ordered column (and its mean if missing values
     * take it), the categories of a categorical one.
     */
    public boolean complete() {
        return switch (type) {
            case NUMERIC, INTEGER, DATE -> min != null && max != null
                    && (missing != MissingPolicy.MEAN || mean != null);
            case CATEGORICAL -> categories != null;
            case BOOLEAN -> true;
        };
    }

    /** What {@link #complete()} still lacks, for messages. */
    String lacks() {
        return type == ColumnType.CATEGORICAL ? "its categories"
                : missing == MissingPolicy.MEAN ? "min, max and mean" : "min and max";
    }

    /** The one-hot categories, with the empty "missing" category last under {@link MissingPolicy#CATEGORY}. */
    List<String> oneHot() {
        if (missing != MissingPolicy.CATEGORY || categories.contains("")) {
            return categories;
        }
        List<String> all = new java.util.ArrayList<>(categories);
        all.add("");
        return List.copyOf(all);
    }
}
