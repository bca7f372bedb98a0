package org.fedgen.privacy;

import static org.fedgen.privacy.Fixtures.state;
import static org.fedgen.privacy.Fixtures.update;
import static org.fedgen.privacy.Fixtures.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.core.util.Seeds;
import org.junit.jupiter.api.Test;

/** FedAdam / FedYogi on DP-FedAvg's noisy mean through {@link DpSettings} and {@link PrivateFederation}. */
class DpServerOptimizerTest {
    private static final double Z = 0.5;
    private static final double S = 1.0;
    private static final double LR = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.99;
    private static final double TAU = 1e-3;

    private static DpSettings.Builder twoClients() {
        return DpSettings.builder().noiseMultiplier(Z).clipNorm(S).samplingRate(1.0).noiseMode(NoiseMode.SEEDED);
    }

    /** The round's seeded noise on the sum, N(0, (zS)²) per coordinate, drawn as DpFedAvg draws it. */
    private static float[] noise(long seed, int length) {
        float[] n = new float[length];
        GaussianNoise.seeded(Seeds.derive(seed, "dp-fedavg-noise")).fill(n, Z * S);
        return n;
    }

    @Test
    void fedAdamStepsOnTheNoisyMeanValueByValue() {
        PrivateFederation dp = PrivateFederation.of(twoClients().serverOptimizer(ServerOptimizer.Kind.ADAM, LR, B1,
                B2, TAU).build(), 2);
        ServerOptimizer adam = assertInstanceOf(ServerOptimizer.class, dp.aggregator());
        assertEquals(ServerOptimizer.Kind.ADAM, adam.kind());
        assertSame(dp.dpFedAvg(), adam.inner());

        double[] w = {1, 2, 3};
        ModelState global = state("a", vec(1, 2, 3));
        // client 0's delta (0.3, 0, 0.4) has norm 0.5 < S and is kept; client 1's (3, 4, 0) has norm 5 and is
        // clipped to (0.6, 0.8, 0): the clipped sum is (0.9, 0.8, 0.4), and qW = 2.
        double[] sum = {0.9, 0.8, 0.4};
        ModelState next = adam.aggregate(global, List.of(update(0, 5, PayloadKind.WEIGHTS, "a", vec(1.3f, 2, 3.4f)),
                update(1, 5, PayloadKind.WEIGHTS, "a", vec(4, 6, 3))), new RoundContext(1, 11, 2, 2.0, List.of(0, 1)));
        float[] n1 = noise(11, 3);
        double[] m = new double[3];
        double[] v = new double[3];
        float[] got = next.part("a").toFloatVector();
        for (int i = 0; i < 3; i++) {
            double delta = (sum[i] + n1[i]) / 2;
            m[i] = (1 - B1) * delta;
            v[i] = (1 - B2) * delta * delta;
            w[i] += LR * m[i] / (Math.sqrt(v[i]) + TAU);
            assertEquals(w[i], got[i], 2e-6, "round 1, coordinate " + i);
        }

        // Round 2: both clients send a zero delta, so the pseudo-gradient is noise alone; the moments carry over.
        ModelState second = adam.aggregate(next, List.of(update(0, 5, PayloadKind.DELTA, "a", vec(0, 0, 0)),
                update(1, 5, PayloadKind.DELTA, "a", vec(0, 0, 0))), new RoundContext(2, 12, 2, 2.0, List.of(0, 1)));
        float[] n2 = noise(12, 3);
        float[] got2 = second.part("a").toFloatVector();
        for (int i = 0; i < 3; i++) {
            double delta = n2[i] / 2.0;
            m[i] = B1 * m[i] + (1 - B1) * delta;
            v[i] = B2 * v[i] + (1 - B2) * delta * delta;
            double expected = got[i] + LR * m[i] / (Math.sqrt(v[i]) + TAU);
            assertEquals(expected, got2[i], 2e-6, "round 2, coordinate " + i);
        }
        assertTrue(adam.state().keySet().containsAll(List.of("m/a", "v/a", "inner/ledger/rdp")),
                "moments and the ledger are checkpointed: " + adam.state().keySet());
        assertEquals(2, dp.ledger().rounds());
    }

    @Test
    void fedYogiWrapsDpFedAvgAndTheDefaultIsDpFedAvgItself() {
        PrivateFederation yogi = PrivateFederation.of(twoClients().serverOptimizer(ServerOptimizer.Kind.YOGI, LR, B1,
                B2, TAU).build(), 2);
        assertEquals(ServerOptimizer.Kind.YOGI, assertInstanceOf(ServerOptimizer.class, yogi.aggregator()).kind());
        PrivateFederation plain = PrivateFederation.of(twoClients().build(), 2);
        assertSame(plain.dpFedAvg(), plain.aggregator());
        PrivateFederation momentum = PrivateFederation.of(twoClients().serverOptimizer(1.0, 0.9).build(), 2);
        assertEquals(ServerOptimizer.Kind.AVGM, assertInstanceOf(ServerOptimizer.class, momentum.aggregator())
                .kind());
    }

    /** A decaying rate is a step even at FedAvgM's η = 1 without momentum; its round-t rate is η γ^(t−1). */
    @Test
    void aDecayingServerRateWrapsDpFedAvg() {
        PrivateFederation decaying = PrivateFederation.of(twoClients().serverOptimizer(1.0, 0.0)
                .serverLearningRateDecay(0.5).build(), 2);
        ServerOptimizer step = assertInstanceOf(ServerOptimizer.class, decaying.aggregator());
        assertSame(decaying.dpFedAvg(), step.inner());
        assertEquals(0.25, step.learningRate(3));
    }

    @Test
    void badAdaptiveServerSettingsAreNamed() {
        IllegalArgumentException beta2 = assertThrows(IllegalArgumentException.class, () -> twoClients()
                .serverOptimizer(ServerOptimizer.Kind.ADAM, LR, B1, 1.0, TAU).build());
        assertEquals("server beta2 must be in [0, 1), got 1.0", beta2.getMessage());
        IllegalArgumentException tau = assertThrows(IllegalArgumentException.class, () -> twoClients()
                .serverOptimizer(ServerOptimizer.Kind.YOGI, LR, B1, B2, 0).build());
        assertEquals("server tau must be finite and > 0, got 0.0", tau.getMessage());
        IllegalArgumentException decay = assertThrows(IllegalArgumentException.class, () -> twoClients()
                .serverOptimizer(ServerOptimizer.Kind.ADAM, LR, B1, B2, TAU).serverLearningRateDecay(1.5).build());
        assertEquals("server learning-rate decay must be in (0, 1], got 1.5", decay.getMessage());
    }
}
