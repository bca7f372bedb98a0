package org.fedgen.models.dpsgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Statistical checks of the DP-SGD batch sampler: Poisson batches must be independent Bernoulli(q) inclusions, across
 * records and across steps, which is what the subsampled Gaussian accountant assumes.
 */
class PoissonBatchesTest {
    private static final int N = 200;
    private static final double Q = 0.1;
    private static final int T = 20_000;

    /** Inclusion counts[t][i] of T Poisson batches. */
    private static boolean[][] draw(PoissonBatches batches) {
        boolean[][] in = new boolean[T][N];
        for (int t = 0; t < T; t++) {
            int previous = -1;
            for (int i : batches.next()) {
                assertTrue(i > previous && i < N, "indices increase and stay in range");
                previous = i;
                in[t][i] = true;
            }
        }
        return in;
    }

    /**
     * Every record's inclusion rate is q within 5 binomial standard errors (sqrt(q(1−q)/T) = 0.0021), the batch size
     * has mean qn = 20 and variance nq(1−q) = 18 (the variance of a sum of independent Bernoullis; a fixed-size batch
     * would have variance 0), each within 5 % (the sampling error of the variance over 20 000 batches is about 1 %).
     */
    @Test
    void inclusionRateIsQForEveryRecordAndBatchSizeIsBinomial() {
        boolean[][] in = draw(PoissonBatches.poisson(N, Q, new SplittableRandom(7)));
        double se = Math.sqrt(Q * (1 - Q) / T);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < N; i++) {
            int c = 0;
            for (int t = 0; t < T; t++) {
                c += in[t][i] ? 1 : 0;
            }
            assertEquals(Q, (double) c / T, 5 * se, "inclusion rate of record " + i);
        }
        for (int t = 0; t < T; t++) {
            int size = 0;
            for (int i = 0; i < N; i++) {
                size += in[t][i] ? 1 : 0;
            }
            sum += size;
            sumSq += (double) size * size;
        }
        double mean = sum / T;
        double var = sumSq / T - mean * mean;
        assertEquals(N * Q, mean, 0.05 * N * Q);
        assertEquals(N * Q * (1 - Q), var, 0.05 * N * Q * (1 - Q));
    }

    /**
     * Independence: for neighbouring records (i, i+1) in one step and for the same record in consecutive steps the
     * joint inclusion rate is q² = 0.01 (pooled over 200 pairs × 20 000 steps, standard error ≈ 1.6e-4; checked within
     * 6e-4); geometric gaps that were off by one would correlate neighbours strongly.
     */
    @Test
    void inclusionsAreIndependentAcrossRecordsAndSteps() {
        boolean[][] in = draw(PoissonBatches.poisson(N, Q, new SplittableRandom(11)));
        long neighbours = 0;
        long consecutive = 0;
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < N; i++) {
                if (in[t][i] && in[t][(i + 1) % N]) {
                    neighbours++;
                }
                if (t + 1 < T && in[t][i] && in[t + 1][i]) {
                    consecutive++;
                }
            }
        }
        assertEquals(Q * Q, (double) neighbours / ((long) T * N), 6e-4);
        assertEquals(Q * Q, (double) consecutive / ((long) (T - 1) * N), 6e-4);
    }

    @Test
    void rateOneTakesEveryRecordAndFixedSizeTakesExactlyBDistinct() {
        assertEquals(N, PoissonBatches.poisson(N, 1.0, new SplittableRandom(1)).next().length);
        PoissonBatches fixed = PoissonBatches.fixedSize(N, 17, new SplittableRandom(2));
        for (int t = 0; t < 100; t++) {
            int[] b = fixed.next();
            assertEquals(17, b.length);
            for (int k = 1; k < b.length; k++) {
                assertTrue(b[k] > b[k - 1], "distinct and sorted");
            }
        }
    }

    @Test
    void badRatesAndSizesAreRefusedNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PoissonBatches.poisson(N, 1.5, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PoissonBatches.fixedSize(N, 0, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
