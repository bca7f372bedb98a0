package org.fedgen.models.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.fedgen.core.metrics.SquaredDistances;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) of generated against real feature vectors. Each set's
 * manifold is the union of balls around its points with radius = the distance to the point's k-th nearest neighbour
 * within the same set (the point itself excluded). Precision = fraction of generated points inside the real manifold;
 * recall = fraction of real points inside the generated manifold. A point on a ball's boundary counts as inside.
 */
public final class PrecisionRecall {
    /** The neighbourhood size used by the paper and by {@link SampleQuality}. */
    public static final int DEFAULT_K = 3;

    private PrecisionRecall() {
    }

    /** Precision and recall, both in [0, 1]. */
    public record Result(double precision, double recall) {
    }

    /** Precision and recall with k = {@value #DEFAULT_K}. */
    public static Result compute(INDArray realFeatures, INDArray generatedFeatures) {
        return compute(realFeatures, generatedFeatures, DEFAULT_K);
    }

    /**
     * Precision and recall of generated [m, d] against real [n, d] feature vectors.
     *
     * @throws IllegalArgumentException if k &lt; 1 or either set has k rows or fewer
     */
    public static Result compute(INDArray realFeatures, INDArray generatedFeatures, int k) {
        Objects.requireNonNull(realFeatures, "realFeatures");
        Objects.requireNonNull(generatedFeatures, "generatedFeatures");
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (realFeatures.rank() != 2 || realFeatures.rows() <= k) {
            throw new IllegalArgumentException("real features must be [n > k = " + k + ", d], got shape "
                    + Arrays.toString(realFeatures.shape()));
        }
        if (generatedFeatures.rank() != 2 || generatedFeatures.rows() <= k) {
            throw new IllegalArgumentException("generated features must be [m > k = " + k + ", d], got shape "
                    + Arrays.toString(generatedFeatures.shape()));
        }
        int n = (int) realFeatures.rows();
        int m = (int) generatedFeatures.rows();
        double[] realRadii2 = kthNeighbourSquaredRadii(SquaredDistances.within(realFeatures), n, k);
        double[] genRadii2 = kthNeighbourSquaredRadii(SquaredDistances.within(generatedFeatures), m, k);
        double[] cross = SquaredDistances.between(realFeatures, generatedFeatures); // [n, m]
        boolean[] genInside = new boolean[m];
        boolean[] realInside = new boolean[n];
        for (int i = 0; i < n; i++) {
            int row = i * m;
            for (int j = 0; j < m; j++) {
                double d2 = cross[row + j];
                if (d2 <= realRadii2[i]) {
                    genInside[j] = true;
                }
                if (d2 <= genRadii2[j]) {
                    realInside[i] = true;
                }
            }
        }
        return new Result(fraction(genInside), fraction(realInside));
    }

    /** For each row of an n×n squared-distance matrix with zero diagonal, the k-th smallest entry other than self. */
    static double[] kthNeighbourSquaredRadii(double[] d2, int n, int k) {
        double[] radii = new double[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(d2, i * n, row, 0, n);
            Arrays.sort(row);
            // row[0] is a zero (self or a duplicate of it); dropping one zero leaves the k-th neighbour at index k.
            radii[i] = row[k];
        }
        return radii;
    }

    private static double fraction(boolean[] inside) {
        int c = 0;
        for (boolean b : inside) {
            if (b) {
                c++;
            }
        }
        return (double) c / inside.length;
    }
}
