package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The exact discrete Gaussian sampler, the grid quantizer and DP-FedAvg's discrete noise mode. */
class DiscreteGaussianTest {
    /** The exact pmf of N_Z(0, σ²) on [−m, m], normalised over the integers (terms beyond 40σ are < 1e-300). */
    private static double[] pmf(long variance, int m) {
        int far = (int) (40 * Math.sqrt(variance)) + m;
        double z = 0;
        for (int x = -far; x <= far; x++) {
            z += Math.exp(-(double) x * x / (2.0 * variance));
        }
        double[] p = new double[2 * m + 1];
        for (int x = -m; x <= m; x++) {
            p[x + m] = Math.exp(-(double) x * x / (2.0 * variance)) / z;
        }
        return p;
    }

    @Test
    void samplesFollowTheExactPmfByChiSquare() {
        // σ² = 4: bins −7..7 and one for |x| ≥ 8 (16 bins, 15 degrees of freedom): chi-square(15) < 56.4 with
        // probability 1 − 1e-6.
        int n = 200_000;
        int m = 7;
        double[] p = pmf(4, m);
        long[] counts = new long[2 * m + 2];
        DiscreteGaussian g = DiscreteGaussian.seeded(1);
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            long x = g.sample(4);
            counts[Math.abs(x) > m ? 2 * m + 1 : (int) x + m]++;
            sum += x;
            sq += (double) x * x;
        }
        double tail = 1;
        double chi = 0;
        for (int b = 0; b <= 2 * m; b++) {
            tail -= p[b];
            chi += Math.pow(counts[b] - n * p[b], 2) / (n * p[b]);
        }
        chi += Math.pow(counts[2 * m + 1] - n * tail, 2) / (n * tail);
        assertTrue(chi < 56.4, "chi-square " + chi);
        // Mean 0 and variance Σ x² p(x) (for σ = 2 equal to 4 within 1e-15): se 0.0045 and 0.0127.
        double exactVar = 0;
        double[] wide = pmf(4, 60);
        for (int x = -60; x <= 60; x++) {
            exactVar += (double) x * x * wide[x + 60];
        }
        assertEquals(4.0, exactVar, 1e-9);
        double mean = sum / n;
        assertEquals(0.0, mean, 5 * 2 / Math.sqrt(n));
        assertEquals(exactVar, sq / n - mean * mean, 5 * 4 * Math.sqrt(2.0 / n));
    }

    @Test
    void smallAndLargeVariancesHaveTheirMoments() {
        int n = 100_000;
        for (long variance : new long[] {1, 1_000_000}) {
            DiscreteGaussian g = DiscreteGaussian.seeded(variance);
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                long x = g.sample(variance);
                sum += x;
                sq += (double) x * x;
            }
            double sd = Math.sqrt(variance);
            double mean = sum / n;
            assertEquals(0.0, mean, 5 * sd / Math.sqrt(n), "variance " + variance);
            // For σ² = 1 the discrete variance is 1 − 3.2e-8 ... ≈ 1 (CKS20 Prop. 19 bounds it below σ²).
            assertEquals(variance, sq / n - mean * mean, 5 * variance * Math.sqrt(2.0 / n), "variance " + variance);
        }
        assertThrows(IllegalArgumentException.class, () -> DiscreteGaussian.seeded(1).sample(0));
    }

    @Test
    void bernoulliOfExpMinusGammaIsExact() {
        DiscreteGaussian g = DiscreteGaussian.seeded(5);
        int n = 200_000;
        for (long[] frac : new long[][] {{1, 3}, {3, 2}, {7, 2}, {0, 1}}) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                hits += g.bernoulliExp(BigInteger.valueOf(frac[0]), BigInteger.valueOf(frac[1])) ? 1 : 0;
            }
            double p = Math.exp(-(double) frac[0] / frac[1]);
            assertEquals(p, hits / (double) n, 5 * Math.sqrt(p * (1 - p) / n) + 1e-12, frac[0] + "/" + frac[1]);
        }
        assertEquals(2, DiscreteGaussian.floorSqrt(8));
        assertEquals(3, DiscreteGaussian.floorSqrt(9));
        assertEquals(0, DiscreteGaussian.floorSqrt(0));
        assertEquals(3_037_000_499L, DiscreteGaussian.floorSqrt(Long.MAX_VALUE));
    }

    @Test
    void roundingStaysOnTheGridAndWithinItsExactNormBound() {
        // d = 100, k = 16: c = 160, Δ² = ⌊min(25600 + 25 + 1·(160 + 5), 170²)⌋ = 25790.
        GridQuantizer grid = new GridQuantizer(2.0, 100, 16);
        assertEquals(25790, grid.boundSquared());
        assertEquals(2.0 / 160, grid.gamma(), 1e-15);
        SplittableRandom r = new SplittableRandom(4);
        KeystreamRandom bits = KeystreamRandom.seeded(4);
        long[] q = new long[100];
        double[] meanRounded = new double[100];
        float[] x = new float[100];
        for (int i = 0; i < 100; i++) {
            x[i] = (float) (r.nextDouble() - 0.5);
        }
        double norm = Math.sqrt(java.util.stream.IntStream.range(0, 100).mapToDouble(i -> (double) x[i] * x[i]).sum());
        for (int i = 0; i < 100; i++) {
            // On the sphere of radius S (just inside, as L2Clip leaves it): the hardest case for the bound.
            x[i] = (float) (x[i] * 2.0 / norm * (1 - 1e-6));
        }
        int trials = 2000;
        for (int t = 0; t < trials; t++) {
            grid.quantize(x, q, bits);
            long sq = 0;
            for (int i = 0; i < 100; i++) {
                double v = x[i] / grid.gamma();
                assertTrue(q[i] == Math.floor(v) || q[i] == Math.ceil(v), q[i] + " is not a rounding of " + v);
                sq += q[i] * q[i];
                meanRounded[i] += q[i] / (double) trials;
            }
            assertTrue(sq <= grid.boundSquared(), "squared norm " + sq);
        }
        // Randomized rounding is unbiased up to the rare redraws: the mean stays within 0.05 of x/γ.
        for (int i = 0; i < 100; i++) {
            assertEquals(x[i] / grid.gamma(), meanRounded[i], 0.05, "coordinate " + i);
        }
        // Three times S: no rounding meets the bound, which is refused rather than sent.
        assertThrows(IllegalArgumentException.class, () -> grid.quantize(scaled(x, 3), q, bits));
    }

    private static float[] scaled(float[] x, float f) {
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= f;
        }
        return y;
    }

    @Test
    void dpFedAvgInDiscreteModeAddsNoiseOfStdSigmaGammaOverQwToTheQuantizedSum() {
        int d = 100_000;
        double clip = 1.0;
        double z = 0.8;
        double m = 4;
        DpFedAvg dp = DpFedAvg.builder().clipNorm(clip).noiseMultiplier(z).noiseMode(NoiseMode.SEEDED)
                .discreteNoise(true).build();
        ModelState global = ModelState.of(0, Map.of("w", Nd4j.zeros(DataType.FLOAT, d)));
        // Four clients, each with the delta 10·e_0 (clipped to S·e_0).
        float[] delta = new float[d];
        delta[0] = 10;
        List<ClientUpdate> updates = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
            updates.add(new ClientUpdate(k, 1, 1, PayloadKind.DELTA, Map.of("w", Nd4j.createFromArray(delta)),
                    Map.of()));
        }
        RoundContext ctx = new RoundContext(1, 7, 100, m, List.of());
        float[] out = dp.aggregate(global, updates, ctx).part("w").toFloatVector();
        GridQuantizer grid = new GridQuantizer(clip, d, GridQuantizer.DEFAULT_RESOLUTION);
        double sigma = z * grid.sensitivity();
        double expectedStd = Math.sqrt(Math.ceil(sigma * sigma)) * grid.gamma() / m;
        assertEquals(expectedStd, ctx.metrics().get("dp_noise_std"), 1e-15);
        // The inflation of the norm bound costs about 0.05 %: the noise is zS/(qW) up to that.
        assertEquals(z * clip / m, expectedStd, 1e-3 * expectedStd);
        double sq = 0;
        for (int i = 1; i < d; i++) {
            sq += (double) out[i] * out[i];
        }
        double std = Math.sqrt(sq / (d - 1));
        assertEquals(expectedStd, std, 0.02 * expectedStd);
        // Every output is an integer multiple of γ/(qW) before the float rounding, which moves it by at most half a
        // float32 ulp (the bound is exact; a fixed 1e-3 units was too tight for coordinate 0's ~22 000 units).
        double unit = grid.gamma() / m;
        for (int i = 0; i < 50; i++) {
            assertEquals(Math.rint(out[i] / unit), out[i] / unit, 0.5 * Math.ulp(out[i]) / unit * (1 + 1e-9),
                    "coordinate " + i);
        }
        // Coordinate 0 carries the four clipped deltas: 4·S/(qW) = 1, plus one noise draw.
        assertEquals(1.0, out[0], 6 * expectedStd);
        assertThrows(IllegalArgumentException.class, () -> DpFedAvg.builder().clipNorm(1).noiseMultiplier(1)
                .discreteNoise(true).cappedWeights(5).build());
    }
}
