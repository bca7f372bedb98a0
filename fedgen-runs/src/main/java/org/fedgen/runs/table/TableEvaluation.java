package org.fedgen.runs.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How synthetic rows compare with real ones: per-column fidelity (Kolmogorov–Smirnov statistic of numeric, integer
 * and date columns; total-variation distance of categorical and boolean ones, a missing value counting as one more
 * category), the mean absolute difference of pairwise Pearson correlations of the non-categorical columns, distance
 * to the closest training record (Euclidean, in the transform's [0, 1] features) of synthetic rows against that of
 * real held-out rows (a privacy smell test: synthetic rows much closer than held-out ones suggest copying), and
 * machine-learning efficacy: the accuracy on real held-out rows of a {@link LogisticRegression} trained on synthetic
 * rows against one trained on real training rows. Column types come from the schema and the real rows' statistics.
 */
public final class TableEvaluation {
    /** Gradient steps, step size and weight penalty of the efficacy classifier. */
    static final int ITERATIONS = 500;
    static final double RATE = 1.0;
    static final double L2 = 1e-3;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TableEvaluation() {
    }

    /**
     * The report as an ordered map (numbers, strings and nested maps).
     *
     * @param real      real held-out rows
     * @param synthetic synthetic rows with the same columns
     * @param train     the generator's training rows (for the closest-record check and the real efficacy baseline);
     *                  null = no closest-record check, and the efficacy baseline trains on the even rows of
     *                  {@code real} and both classifiers are tested on its odd rows
     * @param target    categorical or boolean column for machine-learning efficacy; null = none
     * @param schema    declarations (types, missing policies); undeclared columns are inferred from the real rows
     * @throws IllegalArgumentException naming file, line and column of a value that does not fit its column, a column
     *                                  the synthetic rows lack, or a bad target
     */
    public static Map<String, Object> evaluate(CsvTable real, CsvTable synthetic, CsvTable train, String target,
            TableSchema schema) {
        List<TableStatistics> stats = new ArrayList<>();
        stats.add(TableStatistics.of(real, schema));
        if (train != null) {
            requireColumns(real, train);
            stats.add(TableStatistics.of(train, schema));
        }
        requireColumns(real, synthetic);
        TableSchema fitted = TableStatistics.merge(stats).fit(schema);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("real", Map.of("source", real.source(), "rows", real.size()));
        out.put("synthetic", Map.of("source", synthetic.source(), "rows", synthetic.size()));
        if (train != null) {
            out.put("train", Map.of("source", train.source(), "rows", train.size()));
        }
        fidelity(real, synthetic, fitted, out);
        if (train != null) {
            out.put("closest_record", closestRecord(real, synthetic, train, new TableEncoder(fitted)));
        } else {
            out.put("closest_record", Map.of("skipped", "needs the training rows (--train)"));
        }
        if (target != null) {
            out.put("ml_efficacy", efficacy(real, synthetic, train, target, fitted));
        }
        return out;
    }

    private static void requireColumns(CsvTable real, CsvTable other) {
        for (String c : real.header()) {
            if (!other.header().contains(c)) {
                throw new IllegalArgumentException(other.source() + " has no column '" + c + "' of " + real.source()
                        + "; its columns: " + other.header());
            }
        }
    }

    private static void fidelity(CsvTable real, CsvTable synth, TableSchema fitted, Map<String, Object> out) {
        Map<String, Object> columns = new LinkedHashMap<>();
        double ks = 0;
        double tv = 0;
        int nks = 0;
        int ntv = 0;
        List<double[]> realNumbers = new ArrayList<>();
        List<double[]> synthNumbers = new ArrayList<>();
        for (ColumnSpec c : fitted.columns().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", c.type().toString());
            if (c.type().ordered()) {
                double[] r = numbers(real, c, fitted);
                double[] s = numbers(synth, c, fitted);
                realNumbers.add(r);
                synthNumbers.add(s);
                double d = Fidelity.ks(present(r, real, c), present(s, synth, c));
                m.put("ks", d);
                ks += d;
                nks++;
            } else {
                if (c.type() == ColumnType.BOOLEAN) {
                    realNumbers.add(numbers(real, c, fitted));
                    synthNumbers.add(numbers(synth, c, fitted));
                }
                double d = Fidelity.tv(labels(real, c, fitted), labels(synth, c, fitted));
                m.put("tv", d);
                tv += d;
                ntv++;
            }
            columns.put(c.name(), m);
        }
        out.put("columns", columns);
        out.put("mean_ks", nks == 0 ? null : ks / nks);
        out.put("mean_tv", ntv == 0 ? null : tv / ntv);
        double corr = Fidelity.correlationDifference(realNumbers, synthNumbers);
        out.put("correlation_difference", Double.isNaN(corr) ? null : corr);
    }

    /** The column's values (NaN = missing); a value not of the column's type is an error naming where. */
    private static double[] numbers(CsvTable t, ColumnSpec c, TableSchema fitted) {
        int col = t.column(c.name());
        double[] v = new double[t.size()];
        for (int r = 0; r < t.size(); r++) {
            String s = t.get(r, col);
            if (fitted.isMissing(s)) {
                v[r] = Double.NaN;
                continue;
            }
            Double x = Values.parse(c.type(), s, c.format());
            if (x == null) {
                throw new IllegalArgumentException(t.where(r, col) + ": '" + s + "' is not "
                        + Values.expected(c.type(), c.format()));
            }
            v[r] = x;
        }
        return v;
    }

    private static double[] present(double[] v, CsvTable t, ColumnSpec c) {
        double[] p = Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
        if (p.length == 0) {
            throw new IllegalArgumentException(t.source() + ": column '" + c.name() + "' has no present value");
        }
        return p;
    }

    private static List<String> labels(CsvTable t, ColumnSpec c, TableSchema fitted) {
        int col = t.column(c.name());
        List<String> v = new ArrayList<>(t.size());
        for (int r = 0; r < t.size(); r++) {
            String s = t.get(r, col);
            v.add(fitted.isMissing(s) ? "" : c.type() == ColumnType.BOOLEAN ? s.strip().toLowerCase(Locale.ROOT) : s);
        }
        return v;
    }

    private static Map<String, Object> closestRecord(CsvTable real, CsvTable synth, CsvTable train,
            TableEncoder encoder) {
        double[][] tr = rows(encoder.encode(train));
        double[] ds = ClosestRecord.distances(rows(encoder.encode(synth)), tr);
        double[] dh = ClosestRecord.distances(rows(encoder.encode(real)), tr);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("synthetic_median", ClosestRecord.median(ds));
        m.put("holdout_median", ClosestRecord.median(dh));
        m.put("synthetic_exact_copies", Arrays.stream(ds).filter(d -> d == 0).count() / (double) ds.length);
        m.put("holdout_exact_copies", Arrays.stream(dh).filter(d -> d == 0).count() / (double) dh.length);
        return m;
    }

    private static double[][] rows(INDArray x) {
        return x.rows() == 0 ? new double[0][] : x.toDoubleMatrix();
    }

    private static Map<String, Object> efficacy(CsvTable real, CsvTable synth, CsvTable train, String target,
            TableSchema fitted) {
        ColumnSpec t = fitted.column(target);
        if (t == null) {
            throw new IllegalArgumentException("--target '" + target + "' is not a column of " + real.source()
                    + "; columns: " + real.header());
        }
        if (t.type() != ColumnType.CATEGORICAL && t.type() != ColumnType.BOOLEAN) {
            throw new IllegalArgumentException("--target '" + target + "' is " + t.type()
                    + "; machine-learning efficacy classifies a categorical or boolean column");
        }
        CsvTable baseline = train;
        CsvTable test = real;
        if (train == null) {
            baseline = real.subset(every(real.size(), 0));
            test = real.subset(every(real.size(), 1));
        }
        TableEncoder features = new TableEncoder(fitted.without(target));
        List<String> classes = t.type() == ColumnType.CATEGORICAL ? t.oneHot() : List.of("false", "true");
        double[][] xt = rows(features.encode(test));
        int[] yt = classes(test, target, classes, fitted);
        LogisticRegression onSynth = LogisticRegression.fit(rows(features.encode(synth)),
                classes(synth, target, classes, fitted), classes.size(), ITERATIONS, RATE, L2);
        LogisticRegression onReal = LogisticRegression.fit(rows(features.encode(baseline)),
                classes(baseline, target, classes, fitted), classes.size(), ITERATIONS, RATE, L2);
        int[] count = new int[classes.size()];
        for (int y : yt) {
            count[y]++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("classifier", "multinomial logistic regression, " + ITERATIONS + " full-batch steps of " + RATE
                + ", L2 " + L2);
        m.put("test_rows", test.size());
        m.put("test", train == null ? "the odd rows of " + real.source() + " (the even ones train the real baseline)"
                : real.source());
        m.put("synthetic_to_real_accuracy", onSynth.accuracy(xt, yt));
        m.put("real_to_real_accuracy", onReal.accuracy(xt, yt));
        m.put("majority_class_accuracy", Arrays.stream(count).max().orElse(0) / (double) yt.length);
        return m;
    }

    private static int[] every(int n, int from) {
        int[] idx = new int[(n - from + 1) / 2];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + 2 * i;
        }
        return idx;
    }

    private static int[] classes(CsvTable t, String target, List<String> classes, TableSchema fitted) {
        int col = t.column(target);
        int[] y = new int[t.size()];
        for (int r = 0; r < t.size(); r++) {
            String s = t.get(r, col);
            String v = fitted.isMissing(s) ? "" : s;
            int k = fitted.column(target).type() == ColumnType.BOOLEAN
                    ? classes.indexOf(v.strip().toLowerCase(Locale.ROOT)) : classes.indexOf(v);
            if (k < 0) {
                throw new IllegalArgumentException(t.where(r, col) + ": unknown target class '" + s + "'; known: "
                        + classes);
            }
            y[r] = k;
        }
        return y;
    }

    /** The report as pretty-printed JSON. */
    public static String toJson(Map<String, Object> report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
