package org.fedgen.runs.table;

/**
 * Multinomial logistic regression trained by full-batch gradient descent from zero weights on the mean cross-entropy
 * plus (λ/2)‖W‖² (bias not penalised): deterministic, so an efficacy figure depends only on the rows. A small
 * reference classifier for machine-learning efficacy, not a general-purpose learner.
 */
public final class LogisticRegression {
    private final double[][] w;
    private final int classes;

    private LogisticRegression(double[][] w, int classes) {
        this.w = w;
        this.classes = classes;
    }

    /**
     * Fits {@code classes} classes.
     *
     * @param x          rows of features
     * @param y          class of each row, in 0..classes−1
     * @param iterations gradient steps
     * @param rate       step size
     * @param l2         weight penalty λ
     * @throws IllegalArgumentException on empty data, mismatched lengths or a class out of range
     */
    public static LogisticRegression fit(double[][] x, int[] y, int classes, int iterations, double rate, double l2) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("logistic regression needs as many labels as rows (>= 1), got "
                    + y.length + " labels for " + x.length + " rows");
        }
        int d = x[0].length;
        for (int label : y) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("class " + label + " is outside 0.." + (classes - 1));
            }
        }
        double[][] w = new double[classes][d + 1];
        double[][] g = new double[classes][d + 1];
        double[] p = new double[classes];
        for (int it = 0; it < iterations; it++) {
            for (double[] row : g) {
                java.util.Arrays.fill(row, 0);
            }
            for (int i = 0; i < x.length; i++) {
                probabilities(w, x[i], p);
                for (int k = 0; k < classes; k++) {
                    double e = p[k] - (y[i] == k ? 1 : 0);
                    for (int j = 0; j < d; j++) {
                        g[k][j] += e * x[i][j];
                    }
                    g[k][d] += e;
                }
            }
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j <= d; j++) {
                    double penalty = j < d ? l2 * w[k][j] : 0;
                    w[k][j] -= rate * (g[k][j] / x.length + penalty);
                }
            }
        }
        return new LogisticRegression(w, classes);
    }

    private static void probabilities(double[][] w, double[] x, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            double z = w[k][x.length];
            for (int j = 0; j < x.length; j++) {
                z += w[k][j] * x[j];
            }
            p[k] = z;
            max = Math.max(max, z);
        }
        double s = 0;
        for (int k = 0; k < w.length; k++) {
            p[k] = Math.exp(p[k] - max);
            s += p[k];
        }
        for (int k = 0; k < w.length; k++) {
            p[k] /= s;
        }
    }

    /** Class probabilities of one row. */
    public double[] probabilities(double[] x) {
        double[] p = new double[classes];
        probabilities(w, x, p);
        return p;
    }

    /** The most probable class of one row (the lowest index on a tie). */
    public int predict(double[] x) {
        double[] p = probabilities(x);
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    /** The fraction of rows whose predicted class is the label. */
    public double accuracy(double[][] x, int[] y) {
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            right += predict(x[i]) == y[i] ? 1 : 0;
        }
        return (double) right / x.length;
    }
}
