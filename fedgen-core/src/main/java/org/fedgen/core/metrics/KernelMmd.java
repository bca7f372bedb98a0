package org.fedgen.core.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Unbiased squared maximum mean discrepancy (Gretton et al. 2012, eq. 3) between samples X [n, d] and Y [m, d]:
 *
 * <pre>
 *   MMD²_u = mean_{i≠j} k(x_i, x_j) + mean_{i≠j} k(y_i, y_j) − 2 mean_{i,j} k(x_i, y_j)
 * </pre>
 *
 * with a Gaussian kernel {@code k(a, b) = exp(−‖a − b‖² / (2h²))}, or a sum of such kernels over several bandwidths.
 * The estimate has expectation exactly MMD² and can be negative when both samples come from one distribution.
 *
 * <p><b>Bandwidth (median heuristic).</b> {@code h = c · median{‖z_i − z_j‖ : i < j}} over the pooled sample
 * Z = X ∪ Y (Euclidean distances, not squared; for an even number of pairs the mean of the two middle values), for each
 * multiplier c. If that median is 0 (more than half the pairs coincide), the mean of the positive pairwise distances
 * is used instead, and if every point is identical the base bandwidth is 1 (every kernel value is then 1 and MMD²_u is
 * exactly 0 for any h). Alternatively the bandwidths can be fixed.
 *
 * <p>All distances come from one matrix product in double precision (see {@link SquaredDistances}). Instances are
 * immutable and thread-safe.
 */
public final class KernelMmd {
    private final double[] multipliers;
    private final double[] fixedBandwidths;

    private KernelMmd(double[] multipliers, double[] fixedBandwidths) {
        this.multipliers = multipliers;
        this.fixedBandwidths = fixedBandwidths;
    }

    /** One Gaussian kernel with h = the median pairwise distance of the pooled sample. */
    public static KernelMmd medianHeuristic() {
        return new KernelMmd(new double[] {1.0}, null);
    }

    /**
     * A sum of Gaussian kernels with h = c · (median pairwise distance) for each multiplier c, e.g. {@code 0.5, 1, 2}.
     *
     * @throws IllegalArgumentException if no multiplier is given or one is not finite and positive
     */
    public static KernelMmd medianHeuristic(double... multipliers) {
        return new KernelMmd(checkedPositive("multiplier", multipliers), null);
    }

    /**
     * A sum of Gaussian kernels with the given fixed bandwidths.
     *
     * @throws IllegalArgumentException if no bandwidth is given or one is not finite and positive
     */
    public static KernelMmd fixedBandwidths(double... bandwidths) {
        return new KernelMmd(null, checkedPositive("bandwidth", bandwidths));
    }

    /** The outcome of one comparison. */
    public record Result(double mmd2, double medianDistance, double[] bandwidths) {
        /** Copies the bandwidths. */
        public Result {
            bandwidths = bandwidths.clone();
        }

        /** A copy of the bandwidths used, one per kernel. */
        @Override
        public double[] bandwidths() {
            return bandwidths.clone();
        }
    }

    /** MMD²_u between the rows of x and the rows of y. */
    public double mmd2(INDArray x, INDArray y) {
        return compute(x, y).mmd2();
    }

    /**
     * MMD²_u between the rows of x [n, d] and the rows of y [m, d], with the bandwidths used.
     *
     * @throws IllegalArgumentException if n &lt; 2, m &lt; 2, the widths differ or a value is not finite
     */
    public Result compute(INDArray x, INDArray y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.rank() != 2 || y.rank() != 2) {
            throw new IllegalArgumentException("x and y must be matrices [n, d], got shapes "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(y.shape()));
        }
        if (x.rows() < 2 || y.rows() < 2) {
            throw new IllegalArgumentException("MMD²_u needs at least 2 rows in each sample, got " + x.rows()
                    + " and " + y.rows());
        }
        if (x.columns() != y.columns()) {
            throw new IllegalArgumentException("x has " + x.columns() + " columns but y has " + y.columns());
        }
        int n = (int) x.rows();
        int m = (int) y.rows();
        int total = n + m;
        INDArray z = Nd4j.vstack(x.castTo(y.dataType()), y);
        double[] d2 = SquaredDistances.within(z);
        double median = medianDistance(d2, total);
        double[] h;
        if (fixedBandwidths != null) {
            h = fixedBandwidths.clone();
        } else {
            double base = median > 0.0 ? median : meanPositiveDistance(d2, total);
            h = new double[multipliers.length];
            for (int b = 0; b < h.length; b++) {
                h[b] = multipliers[b] * base;
            }
        }
        double kxx = 0.0;
        double kyy = 0.0;
        double kxy = 0.0;
        for (double hb : h) {
            double gamma = 1.0 / (2.0 * hb * hb);
            for (int i = 0; i < total; i++) {
                int row = i * total;
                for (int j = i + 1; j < total; j++) {
                    double k = Math.exp(-gamma * d2[row + j]);
                    if (j < n) {
                        kxx += k;
                    } else if (i >= n) {
                        kyy += k;
                    } else {
                        kxy += k;
                    }
                }
            }
        }
        // The loops visit each unordered pair once, so the within-sample sums are half the sums over i ≠ j.
        double mmd2 = 2.0 * kxx / ((double) n * (n - 1)) + 2.0 * kyy / ((double) m * (m - 1))
                - 2.0 * kxy / ((double) n * m);
        return new Result(mmd2, median, h);
    }

    /**
     * The median of the pairwise distances {@code sqrt(d2[i·n + j])}, i &lt; j, of a symmetric n·n squared-distance
     * matrix; for an even number of pairs, the mean of the two middle distances.
     */
    public static double medianDistance(double[] d2, int n) {
        if (n < 2 || d2.length != (long) n * n) {
            throw new IllegalArgumentException("need an n·n matrix with n >= 2, got n=" + n + " and "
                    + d2.length + " entries");
        }
        int pairs = n * (n - 1) / 2;
        double[] upper = new double[pairs];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                upper[p++] = d2[i * n + j];
            }
        }
        Arrays.sort(upper);
        if (pairs % 2 == 1) {
            return Math.sqrt(upper[pairs / 2]);
        }
        return 0.5 * (Math.sqrt(upper[pairs / 2 - 1]) + Math.sqrt(upper[pairs / 2]));
    }

    private static double meanPositiveDistance(double[] d2, int n) {
        double sum = 0.0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = d2[i * n + j];
                if (v > 0.0) {
                    sum += Math.sqrt(v);
                    count++;
                }
            }
        }
        return count == 0 ? 1.0 : sum / count;
    }

    private static double[] checkedPositive(String what, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("at least one " + what + " is required");
        }
        for (double v : values) {
            if (!(v > 0.0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
            }
        }
        return values.clone();
    }

    @Override
    public String toString() {
        return fixedBandwidths != null ? "KernelMmd{h=" + Arrays.toString(fixedBandwidths) + '}'
                : "KernelMmd{h=median·" + Arrays.toString(multipliers) + '}';
    }
}
