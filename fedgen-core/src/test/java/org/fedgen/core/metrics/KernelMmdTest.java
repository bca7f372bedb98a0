package org.fedgen.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KernelMmdTest {
    private static INDArray column(double... v) {
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE);
    }

    private static INDArray gaussian(SplittableRandom rng, int n, int d, double shift) {
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian() + (i % d == 0 ? shift : 0.0);
        }
        return Nd4j.create(v, new long[] {n, d}, DataType.FLOAT).castTo(DataType.FLOAT);
    }

    @Test
    void handComputedOneDimensionalCase() {
        // X = {0, 1}, Y = {3, 5}, h = 1: squared distances xx: 1; yy: 4; xy: 9, 25, 4, 16.
        double expected = Math.exp(-0.5) + Math.exp(-2.0)
                - 2.0 * (Math.exp(-4.5) + Math.exp(-12.5) + Math.exp(-2.0) + Math.exp(-8.0)) / 4.0;
        KernelMmd.Result r = KernelMmd.fixedBandwidths(1.0).compute(column(0, 1), column(3, 5));
        assertEquals(expected, r.mmd2(), 1e-15);
        // pooled distances 1, 3, 5, 2, 4, 2 -> sorted 1 2 2 3 4 5 -> median (2 + 3) / 2
        assertEquals(2.5, r.medianDistance(), 1e-15);
    }

    @Test
    void medianHeuristicUsesMedianPairwiseDistanceTimesMultipliers() {
        KernelMmd.Result r = KernelMmd.medianHeuristic(0.5, 2.0).compute(column(0, 1), column(3, 5));
        assertArrayEquals(new double[] {1.25, 5.0}, r.bandwidths(), 1e-15);
        double sum = KernelMmd.fixedBandwidths(1.25).mmd2(column(0, 1), column(3, 5))
                + KernelMmd.fixedBandwidths(5.0).mmd2(column(0, 1), column(3, 5));
        assertEquals(sum, r.mmd2(), 1e-14);
    }

    @Test
    void matchesNaiveDoubleLoop() {
        SplittableRandom rng = new SplittableRandom(11);
        INDArray x = gaussian(rng, 30, 5, 0.0);
        INDArray y = gaussian(rng, 20, 5, 0.7);
        double[][] z = new double[50][];
        for (int i = 0; i < 50; i++) {
            z[i] = (i < 30 ? x.getRow(i) : y.getRow(i - 30)).castTo(DataType.DOUBLE).toDoubleVector();
        }
        double[] dist = new double[50 * 49 / 2];
        int p = 0;
        for (int i = 0; i < 50; i++) {
            for (int j = i + 1; j < 50; j++) {
                dist[p++] = Math.sqrt(sq(z[i], z[j]));
            }
        }
        java.util.Arrays.sort(dist);
        double median = dist[612]; // 1225 pairs: the middle one
        double[] mult = {0.5, 1.0, 2.0};
        double expected = 0.0;
        for (double c : mult) {
            double h = c * median;
            double sxx = 0;
            double syy = 0;
            double sxy = 0;
            for (int i = 0; i < 50; i++) {
                for (int j = 0; j < 50; j++) {
                    double k = Math.exp(-sq(z[i], z[j]) / (2 * h * h));
                    if (i < 30 && j < 30 && i != j) {
                        sxx += k;
                    } else if (i >= 30 && j >= 30 && i != j) {
                        syy += k;
                    } else if (i < 30 && j >= 30) {
                        sxy += k;
                    }
                }
            }
            expected += sxx / (30 * 29) + syy / (20 * 19) - 2 * sxy / (30 * 20);
        }
        KernelMmd.Result r = KernelMmd.medianHeuristic(mult).compute(x, y);
        assertEquals(median, r.medianDistance(), 1e-9);
        assertEquals(expected, r.mmd2(), 1e-9);
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return s;
    }

    /**
     * Bound for two samples of N(0, I_d), d = 2, n = m = 200, fixed h = 1.
     *
     * <p>Write the statistic as U + D, where U is Gretton's paired U-statistic with kernel
     * h(z, z') = k(x,x') + k(y,y') − k(x,y') − k(x',y) and D = (2/m)(mean_{i≠j} k(x_i,y_j) − mean_i k(x_i,y_i)) the
     * difference from including i = j in the cross term; k ∈ [0, 1] gives |D| ≤ 2/m. Under H0, U is degenerate
     * (ζ1 = 0), so Var U = 2 E[h²] / (m(m−1)), and E[h²] = 4μ2 + 4μ1² − 8μ3 ≤ 4(μ2 − μ1²) (μ3 ≥ μ1² by Jensen), where
     * for Gaussian data μ1 = E k = (1 + 2/h²)^(−d/2) and μ2 = E k² = (1 + 4/h²)^(−d/2). Chebyshev at 10 standard
     * deviations: P(|U + D| > 10·sd + 2/m) ≤ 1 %.
     */
    @Test
    void sameDistributionGivesValueWithinDerivedBound() {
        int m = 200;
        int d = 2;
        double h = 1.0;
        double mu1 = Math.pow(1 + 2 / (h * h), -d / 2.0);
        double mu2 = Math.pow(1 + 4 / (h * h), -d / 2.0);
        double sd = Math.sqrt(2 * 4 * (mu2 - mu1 * mu1) / (m * (m - 1.0)));
        double bound = 10 * sd + 2.0 / m;
        assertEquals(0.0523, bound, 1e-4);
        SplittableRandom rng = new SplittableRandom(2024);
        for (int rep = 0; rep < 3; rep++) {
            double v = KernelMmd.fixedBandwidths(h).mmd2(gaussian(rng, m, d, 0.0), gaussian(rng, m, d, 0.0));
            assertTrue(Math.abs(v) < bound, "MMD²_u of one distribution " + v + " exceeds bound " + bound);
        }

        // Shift the mean by (2, 0): x − y ~ N(δ, 2I), so E k(x, y) = (1 + 2/h²)^(−d/2) exp(−|δ|²/(2(h² + 2))) and
        // MMD² = 2μ1 − 2 E k(x, y) = 0.3244. The statistic is unbiased but non-degenerate here (sd ≈ 0.03 measured
        // over seeds), so it is checked to 0.1 and to be far above the null bound.
        double population = 2 * mu1 - 2 * mu1 * Math.exp(-4.0 / (2 * (h * h + 2)));
        assertEquals(0.3244, population, 1e-4);
        double shifted = KernelMmd.fixedBandwidths(h).mmd2(gaussian(rng, m, d, 0.0), gaussian(rng, m, d, 2.0));
        assertTrue(shifted > 3 * bound, "shifted MMD " + shifted);
        assertEquals(population, shifted, 0.1);
    }

    @Test
    void sameSeedSameResultAndIdenticalPointsGiveZero() {
        INDArray a = gaussian(new SplittableRandom(5), 40, 784, 0.0);
        INDArray b = gaussian(new SplittableRandom(6), 40, 784, 0.0);
        KernelMmd mmd = KernelMmd.medianHeuristic();
        assertEquals(mmd.mmd2(a, b), mmd.mmd2(a.dup(), b.dup()), 0.0);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 3, 4);
        assertEquals(0.0, mmd.mmd2(ones, ones.dup()), 0.0);
    }

    @Test
    void rejectsBadInput() {
        KernelMmd mmd = KernelMmd.medianHeuristic();
        assertThrows(IllegalArgumentException.class, () -> mmd.mmd2(column(1), column(1, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> mmd.mmd2(Nd4j.zeros(DataType.FLOAT, 3, 2), Nd4j.zeros(DataType.FLOAT, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> mmd.mmd2(column(0, Double.NaN), column(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> KernelMmd.fixedBandwidths(0.0));
        assertThrows(IllegalArgumentException.class, () -> KernelMmd.medianHeuristic(new double[0]));
    }

    @Test
    void squaredDistancesAreExactForSmallIntegers() {
        INDArray a = Nd4j.create(new float[] {0, 0, 3, 4}, new long[] {2, 2}, 'c');
        INDArray b = Nd4j.create(new float[] {3, 4, 1, 1, 0, 0}, new long[] {3, 2}, 'c');
        assertArrayEquals(new double[] {25, 2, 0, 0, 13, 25}, SquaredDistances.between(a, b), 1e-12);
    }
}
