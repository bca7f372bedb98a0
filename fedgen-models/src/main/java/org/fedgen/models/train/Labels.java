package org.fedgen.models.train;

/** Index and label arrays for batches: ranges, gathers, slices, and the label cycle of unlabelled sampling. */
public final class Labels {
    private Labels() {
    }

    /** from, from + 1, ..., to − 1. */
    public static int[] range(int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException("range end " + to + " is before its start " + from);
        }
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** 0, 1, ..., k − 1, 0, 1, ... for n rows: the labels a conditional model's {@code sample(n, seed)} uses. */
    public static int[] cycle(int n, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("need at least one class, got " + k);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
        }
        return y;
    }

    /** labels[idx[i]] for each i, or null for unlabelled data (labels null). */
    public static int[] pick(int[] labels, int[] idx) {
        if (labels == null) {
            return null;
        }
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = labels[idx[i]];
        }
        return y;
    }

    /** labels[start .. start + rows), or null for unlabelled data. */
    public static int[] slice(int[] labels, int start, int rows) {
        if (labels == null) {
            return null;
        }
        int[] y = new int[rows];
        System.arraycopy(labels, start, y, 0, rows);
        return y;
    }

    /**
     * Checks labels for {@code sample(labels, seed)}: non-empty, each in [0, k).
     *
     * @throws IllegalArgumentException naming the first bad label and its position
     */
    public static void checkForSampling(int[] labels, int k) {
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("labels must not be empty");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " at position " + i + " is outside [0, " + k
                        + ")");
            }
        }
    }
}
