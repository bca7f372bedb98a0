package org.fedgen.models.metrics;

import java.util.Objects;

/**
 * Histogram of (predicted) class labels: how evenly generated samples cover the classes. Entropy is in nats, so a
 * uniform histogram over C classes has entropy ln C.
 */
public final class LabelHistogram {
    private final int[] counts;
    private final int total;

    private LabelHistogram(int[] counts, int total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * Counts labels in [0, numClasses).
     *
     * @throws IllegalArgumentException if there are no labels, numClasses &lt; 1 or a label is out of range
     */
    public static LabelHistogram of(int[] labels, int numClasses) {
        Objects.requireNonNull(labels, "labels");
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("a label histogram needs at least one label");
        }
        int[] counts = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException("label " + l + " at index " + i + " outside [0, " + numClasses
                        + ")");
            }
            counts[l]++;
        }
        return new LabelHistogram(counts, labels.length);
    }

    /** Number of classes C. */
    public int numClasses() {
        return counts.length;
    }

    /** Number of labels counted. */
    public int total() {
        return total;
    }

    /** Count per class. */
    public int[] counts() {
        return counts.clone();
    }

    /** Fraction of the labels in each class. */
    public double[] fractions() {
        double[] f = new double[counts.length];
        for (int c = 0; c < f.length; c++) {
            f[c] = (double) counts[c] / total;
        }
        return f;
    }

    /** Shannon entropy −Σ p_c ln p_c of the fractions, in nats (0·ln 0 = 0). */
    public double entropy() {
        double h = 0.0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / total;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /** The smallest class fraction (0 if a class is missing: mode dropping). */
    public double minClassFraction() {
        int min = Integer.MAX_VALUE;
        for (int count : counts) {
            min = Math.min(min, count);
        }
        return (double) min / total;
    }
}
