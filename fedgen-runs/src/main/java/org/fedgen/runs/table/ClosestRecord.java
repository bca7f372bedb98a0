package org.fedgen.runs.table;

import java.util.Arrays;

/** Distance to the closest record: for each query row, the Euclidean distance to its nearest reference row. */
final class ClosestRecord {
    private ClosestRecord() {
    }

    static double[] distances(double[][] queries, double[][] reference) {
        if (reference.length == 0) {
            throw new IllegalArgumentException("closest-record distances need at least one reference row");
        }
        double[] out = new double[queries.length];
        for (int i = 0; i < queries.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] ref : reference) {
                double s = 0;
                for (int j = 0; j < ref.length && s < best; j++) {
                    double d = queries[i][j] - ref[j];
                    s += d * d;
                }
                best = Math.min(best, s);
            }
            out[i] = Math.sqrt(best);
        }
        return out;
    }

    /** The median (mean of the two middle values for an even count); NaN for none. */
    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
