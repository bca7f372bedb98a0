package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestepDistributionTest {

    @Test
    void uniformGivesEveryStepOneOverT() {
        TimestepDistribution u = TimestepDistribution.uniform(7);
        for (int t = 1; t <= 7; t++) {
            assertEquals(1.0 / 7, u.probability(t), 0);
        }
        SplittableRandom rng = new SplittableRandom(3);
        int[] counts = new int[8];
        for (int i = 0; i < 70_000; i++) {
            counts[u.sample(rng)]++;
        }
        assertEquals(0, counts[0]);
        for (int t = 1; t <= 7; t++) {
            assertEquals(10_000, counts[t], 400);
        }
    }

    /** P(t) = w_t / Σ w with w_t = min(1, γ(1 − ᾱ_t)/ᾱ_t), from the schedule's ᾱ by hand. */
    @Test
    void minSnrProbabilitiesAreTheNormalisedWeights() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        double gamma = 5;
        TimestepDistribution d = TimestepDistribution.minSnr(s, gamma);
        double total = 0;
        for (int t = 1; t <= 1000; t++) {
            double ab = s.alphaBar(t);
            total += Math.min(ab / (1 - ab), gamma) / (ab / (1 - ab));
        }
        double sum = 0;
        for (int t = 1; t <= 1000; t++) {
            double ab = s.alphaBar(t);
            double expected = Math.min(ab / (1 - ab), gamma) / (ab / (1 - ab)) / total;
            assertEquals(expected, d.probability(t), 1e-12, "t=" + t);
            sum += d.probability(t);
        }
        assertEquals(1.0, sum, 1e-12);
        // SNR_t ≤ γ from the step where ᾱ ≤ γ/(1+γ) on: those steps all have the largest probability 1/total
        int first = 1;
        while (s.alphaBar(first) > gamma / (1 + gamma)) {
            first++;
        }
        assertEquals(1 / total, d.probability(first), 1e-12);
        assertEquals(1 / total, d.probability(1000), 1e-12);
        assertTrue(d.probability(1) < 1e-3 / total, "t = 1 has SNR ~1e4: weight " + d.probability(1) * total);
    }

    @Test
    void minSnrDrawsFollowTheProbabilities() {
        NoiseSchedule s = NoiseSchedule.linear(50);
        TimestepDistribution d = TimestepDistribution.minSnr(s, 2);
        SplittableRandom rng = new SplittableRandom(11);
        int n = 400_000;
        int[] counts = new int[51];
        for (int i = 0; i < n; i++) {
            counts[d.sample(rng)]++;
        }
        for (int t = 1; t <= 50; t++) {
            double p = d.probability(t);
            double sd = Math.sqrt(n * p * (1 - p));
            assertEquals(n * p, counts[t], 5 * sd + 1, "t=" + t);
        }
    }

    @Test
    void badGammaIsRejectedNamingIt() {
        NoiseSchedule s = NoiseSchedule.linear(30);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimestepDistribution.minSnr(s, -2));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimestepDistribution.minSnr(s, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TimestepDistribution.uniform(10).probability(11));
    }
}
