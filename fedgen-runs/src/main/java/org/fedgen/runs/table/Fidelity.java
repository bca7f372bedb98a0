package org.fedgen.runs.table;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Column-wise and pairwise fidelity of synthetic rows to real ones. */
public final class Fidelity {
    private Fidelity() {
    }

    /**
     * The two-sample Kolmogorov–Smirnov statistic sup_x |F_a(x) − F_b(x)| of the empirical distribution functions.
     *
     * @throws IllegalArgumentException if a sample is empty or holds a non-finite value
     */
    public static double ks(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("KS needs two non-empty samples, got " + a.length + " and " + b.length
                    + " values");
        }
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        if (!Double.isFinite(x[0]) || !Double.isFinite(x[x.length - 1]) || !Double.isFinite(y[0])
                || !Double.isFinite(y[y.length - 1])) {
            throw new IllegalArgumentException("KS needs finite values");
        }
        int i = 0;
        int j = 0;
        double d = 0;
        // step through the distinct values of both samples; both CDFs jump past every copy of a value at once
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] == v) {
                i++;
            }
            while (j < y.length && y[j] == v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    /**
     * The total-variation distance ½ Σ_c |p_a(c) − p_b(c)| of the two samples' category frequencies.
     *
     * @throws IllegalArgumentException if a sample is empty
     */
    public static double tv(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("TV needs two non-empty samples, got " + a.size() + " and " + b.size()
                    + " values");
        }
        Map<String, Integer> ca = counts(a);
        Map<String, Integer> cb = counts(b);
        Set<String> all = new HashSet<>(ca.keySet());
        all.addAll(cb.keySet());
        double s = 0;
        for (String c : all) {
            s += Math.abs(ca.getOrDefault(c, 0) / (double) a.size() - cb.getOrDefault(c, 0) / (double) b.size());
        }
        return s / 2;
    }

    private static Map<String, Integer> counts(List<String> v) {
        Map<String, Integer> m = new HashMap<>();
        for (String s : v) {
            m.merge(s, 1, Integer::sum);
        }
        return m;
    }

    /**
     * Pearson correlation of two columns over the rows where both are present (NaN marks missing), or NaN if fewer
     * than two such rows or either column is constant on them.
     */
    public static double pearson(double[] x, double[] y) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                n++;
                sx += x[i];
                sy += y[i];
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
                syy += (y[i] - my) * (y[i] - my);
            }
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }

    /**
     * The mean over column pairs of |ρ_real − ρ_synthetic|, ρ the Pearson correlation, for pairs whose correlation
     * is defined in both; NaN if there is no such pair. Columns are given as value arrays (NaN = missing).
     */
    public static double correlationDifference(List<double[]> real, List<double[]> synthetic) {
        double s = 0;
        int pairs = 0;
        for (int a = 0; a < real.size(); a++) {
            for (int b = a + 1; b < real.size(); b++) {
                double r = pearson(real.get(a), real.get(b));
                double q = pearson(synthetic.get(a), synthetic.get(b));
                if (!Double.isNaN(r) && !Double.isNaN(q)) {
                    s += Math.abs(r - q);
                    pairs++;
                }
            }
        }
        return pairs == 0 ? Double.NaN : s / pairs;
    }
}
