package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdaptiveClippingTest {
    private static final double[] NORMS_1_TO_10 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void oneStepIsTheGeometricUpdateOnTheUnclippedFraction() {
        AdaptiveClipping ac = new AdaptiveClipping(1.0, 0.5, 0.2, 0);
        // only the norm 1 is <= C = 1: b = 1/10
        double b = ac.update(NORMS_1_TO_10, 10, GaussianNoise.seeded(1));
        assertEquals(0.1, b, 1e-15);
        assertEquals(Math.exp(-0.2 * (0.1 - 0.5)), ac.clipNorm(), 1e-15);
    }

    @Test
    void clipNormSettlesOnTheMedianFromBelowAndFromAbove() {
        for (double start : new double[] {1.0, 100.0}) {
            AdaptiveClipping ac = new AdaptiveClipping(start, 0.5, 0.2, 0);
            GaussianNoise noise = GaussianNoise.seeded(2);
            for (int r = 0; r < 300; r++) {
                ac.update(NORMS_1_TO_10, 10, noise);
            }
            // exactly half the norms are <= C for every C in [5, 6): there b = γ and C stops moving
            assertTrue(ac.clipNorm() >= 5 && ac.clipNorm() < 6, "from " + start + ": " + ac.clipNorm());
        }
    }

    @Test
    void clipNormFollowsOtherQuantilesAndToleratesCountNoise() {
        AdaptiveClipping ac = new AdaptiveClipping(1.0, 0.8, 0.2, 0);
        GaussianNoise noise = GaussianNoise.seeded(3);
        for (int r = 0; r < 300; r++) {
            ac.update(NORMS_1_TO_10, 10, noise);
        }
        assertTrue(ac.clipNorm() >= 8 && ac.clipNorm() < 9, "0.8-quantile: " + ac.clipNorm());

        // 100 clients with norms 0.01..1.00, default sigma_b = m/20 = 5: C ends near the median 0.5
        double[] norms = new double[100];
        for (int i = 0; i < 100; i++) {
            norms[i] = (i + 1) / 100.0;
        }
        AdaptiveClipping noisy = AdaptiveClipping.withDefaults(0.05, 100);
        assertEquals(5.0, noisy.countNoiseStd());
        for (int r = 0; r < 400; r++) {
            noisy.update(norms, 100, noise);
        }
        assertTrue(noisy.clipNorm() > 0.4 && noisy.clipNorm() < 0.6, "noisy median: " + noisy.clipNorm());
    }

    @Test
    void updateNoiseMultiplierSplitsTheBudget() {
        AdaptiveClipping ac = new AdaptiveClipping(1, 0.5, 0.2, 2.0);
        // z = 1, 2 sigma_b = 4: z_Δ = (1 − 1/16)^(−1/2)
        assertEquals(1 / Math.sqrt(15.0 / 16), ac.updateNoiseMultiplier(1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ac.updateNoiseMultiplier(4));
        assertThrows(IllegalArgumentException.class, () -> ac.updateNoiseMultiplier(0));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveClipping(0, 0.5, 0.2, 1));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveClipping(1, 1.5, 0.2, 1));
    }
}
