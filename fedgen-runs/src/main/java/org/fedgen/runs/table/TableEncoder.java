package org.fedgen.runs.table;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reversible transform between rows and feature vectors in [0, 1] that a complete schema defines, column by
 * column in schema order: numeric, integer and date columns min–max scale to one feature (a constant column gives
 * 0), booleans give one feature (1 = true), categoricals one feature per category (one-hot, the empty "missing"
 * category last under {@link MissingPolicy#CATEGORY}). A missing value under {@link MissingPolicy#MEAN} is encoded as
 * the mean. Decoding clamps each feature to [0, 1] and inverts: integers and dates rounded to the nearest value,
 * numerics rounded to the column's decimals, booleans {@code true} when the feature is at least ½ and categories by
 * argmax, so a decoded row is in the columns' types and vocabulary; missing numbers are not reproduced.
 */
public final class TableEncoder {
    private final TableSchema schema;
    private final List<ColumnSpec> columns;
    private final int[] offsets;
    private final int width;

    /**
     * @throws IllegalArgumentException naming the first column whose declaration is not complete
     */
    public TableEncoder(TableSchema schema) {
        this.schema = schema;
        this.columns = List.copyOf(schema.columns().values());
        this.offsets = new int[columns.size()];
        int w = 0;
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            if (!c.complete()) {
                throw new IllegalArgumentException("column '" + c.name() + "' (" + c.type() + ") lacks "
                        + c.lacks() + " for its transform");
            }
            offsets[i] = w;
            w += c.type() == ColumnType.CATEGORICAL ? c.oneHot().size() : 1;
        }
        this.width = w;
    }

    /** Features per row. */
    public int width() {
        return width;
    }

    /** The column names in encoding order (the order samples are written in). */
    public List<String> header() {
        return new ArrayList<>(schema.columns().keySet());
    }

    /** The complete schema this transform was built from. */
    public TableSchema schema() {
        return schema;
    }

    /** Where column {@code i}'s features start. */
    int offset(int i) {
        return offsets[i];
    }

    /**
     * The rows as a float32 [n, width] matrix; columns are looked up by name, so the table may hold more.
     *
     * @throws IllegalArgumentException naming file, line and column of a value that does not fit its declaration
     *                                  (wrong type, unknown category, refused missing value) or a column the table
     *                                  lacks
     */
    public INDArray encode(CsvTable t) {
        float[][] x = new float[t.size()][width];
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            int col = t.column(c.name());
            for (int r = 0; r < t.size(); r++) {
                encode(c, i, t, r, col, x[r]);
            }
        }
        return t.size() == 0 ? Nd4j.create(DataType.FLOAT, 0, width) : Nd4j.createFromArray(x);
    }

    private void encode(ColumnSpec c, int i, CsvTable t, int r, int col, float[] row) {
        String v = t.get(r, col);
        boolean missing = schema.isMissing(v);
        if (missing && c.missing() == MissingPolicy.REFUSE) {
            throw new IllegalArgumentException(t.where(r, col) + ": missing value (\"" + v + "\") refused");
        }
        if (c.type() == ColumnType.CATEGORICAL) {
            int k = c.oneHot().indexOf(missing ? "" : v);
            if (k < 0) {
                throw new IllegalArgumentException(t.where(r, col) + ": unknown category '" + v + "'; known: "
                        + c.categories());
            }
            row[offsets[i] + k] = 1f;
            return;
        }
        Double x = missing ? c.mean() : Values.parse(c.type(), v, c.format());
        if (x == null) {
            throw new IllegalArgumentException(t.where(r, col) + ": '" + v + "' is not "
                    + Values.expected(c.type(), c.format()));
        }
        row[offsets[i]] = c.type() == ColumnType.BOOLEAN ? x.floatValue() : (float) scale(c, x);
    }

    private static double scale(ColumnSpec c, double x) {
        double span = c.max() - c.min();
        return span > 0 ? (x - c.min()) / span : 0;
    }

    /**
     * Rows back from features, one per matrix row, in {@link #header()} order.
     *
     * @throws IllegalArgumentException if the matrix is not [n, width]
     */
    public List<String[]> decode(INDArray features) {
        if (features.rank() != 2 || features.columns() != width) {
            throw new IllegalArgumentException("features must be [n, " + width + "], got "
                    + java.util.Arrays.toString(features.shape()));
        }
        float[][] x = features.castTo(DataType.FLOAT).toFloatMatrix();
        List<String[]> rows = new ArrayList<>(x.length);
        for (float[] f : x) {
            String[] row = new String[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                row[i] = decode(columns.get(i), f, offsets[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static String decode(ColumnSpec c, float[] f, int at) {
        if (c.type() == ColumnType.CATEGORICAL) {
            List<String> cats = c.oneHot();
            int best = 0;
            for (int k = 1; k < cats.size(); k++) {
                if (f[at + k] > f[at + best]) {
                    best = k;
                }
            }
            return cats.get(best);
        }
        double u = Math.min(1, Math.max(0, f[at]));
        if (c.type() == ColumnType.BOOLEAN) {
            return u >= 0.5 ? "true" : "false";
        }
        double v = c.min() + u * (c.max() - c.min());
        return switch (c.type()) {
            case INTEGER -> Long.toString(Math.round(v));
            case DATE -> Values.formatter(c.format()).format(LocalDate.ofEpochDay(Math.round(v)));
            default -> c.decimals() != null
                    ? BigDecimal.valueOf(v).setScale(c.decimals(), RoundingMode.HALF_EVEN).toPlainString()
                    : Double.toString(v);
        };
    }
}
