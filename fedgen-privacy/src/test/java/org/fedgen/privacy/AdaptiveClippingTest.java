package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

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

    @Test
    void theCountIsCentredAtOneHalfPerClientAsTheAccountingAssumes() {
        // b̄ = (Σ_k (b_k − ½) + noise) / m + ½ with m = 20 expected clients and σ_b = 0.
        // Norms 1..10 at C = 5.5: five in, five out, Σ (b_k − ½) = 0, so b̄ = ½ (an uncentred count gives 5/20).
        assertEquals(0.5, new AdaptiveClipping(5.5, 0.5, 0.2, 0).update(NORMS_1_TO_10, 20, GaussianNoise.seeded(1)),
                1e-15);
        // Norms {1, 2, 3} at C = 2.5: Σ = ½ + ½ − ½ = ½, b̄ = ½/20 + ½ = 0.525.
        double three = new AdaptiveClipping(2.5, 0.5, 0.2, 0).update(new double[] {1, 2, 3}, 20,
                GaussianNoise.seeded(1));
        assertEquals(0.525, three, 1e-15);
        // One more client moves the released sum by exactly ½ either way: the sensitivity the noise is sized for.
        double four = new AdaptiveClipping(2.5, 0.5, 0.2, 0).update(new double[] {1, 2, 3, 9}, 20,
                GaussianNoise.seeded(1));
        assertEquals(-0.5, (four - three) * 20, 1e-12);
    }

    @Test
    void endToEndTheUpdateNoiseIsZDeltaTimesCTheCountNoiseIsSigmaBAndTheLedgerIsChargedZ() {
        // W = 100, q = 0.2: m = 20, σ_b = m/20 = 1, z = 1, so z_Δ = (1 − 1/4)^(−1/2) = 2/√3.
        int population = 100;
        double m = 20;
        double z = 1.0;
        PrivacyLedger ledger = PrivacyLedger.forPopulation(population, 1e-5);
        AdaptiveClipping ac = AdaptiveClipping.withDefaults(0.3, m);
        DpFedAvg dp = DpFedAvg.builder().noiseMultiplier(z).adaptiveClipping(ac).noiseMode(NoiseMode.SEEDED)
                .ledger(ledger).build();
        assertEquals(1.0, ac.countNoiseStd(), 0.0);
        assertEquals(2 / Math.sqrt(3), dp.updateNoiseMultiplier(), 1e-15);

        // The noise on the update: no clients, 200 000 coordinates; the new state is noise / m.
        int big = 200_000;
        ModelState zero = ModelState.of(0, java.util.Map.of("w", Nd4j.zeros(DataType.FLOAT, big)));
        double clip = dp.clipNorm();
        ModelState noised = dp.aggregate(zero, List.of(), new RoundContext(1, 11, population, m, List.of()));
        double std = Fixtures.stdOfDifference(noised.part("w"), zero.part("w"));
        assertEquals(dp.updateNoiseMultiplier() * clip / m, std, 0.01 * std);

        // The noise on the count, recovered from each round's released b̄: (b̄ − ½)·m − Σ_k (b_k − ½).
        float[] deltaNorms = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f};
        ModelState small = ModelState.of(0, java.util.Map.of("w", Nd4j.zeros(DataType.FLOAT, 1)));
        int rounds = 2000;
        double sum = 0;
        double sq = 0;
        for (int r = 2; r < rounds + 2; r++) {
            List<ClientUpdate> updates = new ArrayList<>();
            double centred = 0;
            for (int k = 0; k < deltaNorms.length; k++) {
                updates.add(new ClientUpdate(k, r, 1, PayloadKind.DELTA,
                        java.util.Map.of("w", Nd4j.createFromArray(deltaNorms[k])), java.util.Map.of()));
                centred += deltaNorms[k] <= ac.clipNorm() ? 0.5 : -0.5;
            }
            RoundContext ctx = new RoundContext(r, r, population, m, List.of());
            dp.aggregate(small, updates, ctx);
            double noise = (ctx.metrics().get("dp_unclipped_estimate") - 0.5) * m - centred;
            sum += noise;
            sq += noise * noise;
        }
        double mean = sum / rounds;
        double countStd = Math.sqrt(sq / rounds - mean * mean);
        // se of the std over 2000 draws ≈ 1.6 %; of the mean ≈ 0.022.
        assertEquals(ac.countNoiseStd(), countStd, 0.06);
        assertEquals(0, mean, 0.08);

        // Every round, count included, was charged once at z (not z_Δ) with q = m/W.
        assertEquals(rounds + 1, ledger.rounds());
        assertEquals(new RdpAccountant().steps(0.2, z, rounds + 1).epsilon(1e-5).epsilon(),
                ledger.spent().epsilon(), 1e-9);
    }
}
