package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ServerOptimizerTest {
    private static final RoundContext CTX = new RoundContext(1, 0, 10, 2, List.of());

    /** Proposes global + the next scripted pseudo-gradient. */
    private static final class Scripted implements Aggregator {
        private final Deque<float[]> deltas = new ArrayDeque<>();

        Scripted(float[]... ds) {
            deltas.addAll(List.of(ds));
        }

        @Override
        public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
            return ModelState.of(global.round(), Map.of("w", global.part("w").add(Nd4j.createFromArray(
                    deltas.poll()))));
        }
    }

    private static ModelState w(float... v) {
        return ModelState.of(0, Map.of("w", Nd4j.createFromArray(v)));
    }

    private static float[] run(Aggregator a, ModelState start, int rounds) {
        ModelState s = start;
        for (int r = 0; r < rounds; r++) {
            s = a.aggregate(s, List.of(), CTX);
        }
        return s.part("w").toFloatVector();
    }

    @Test
    void fedAvgMAccumulatesMomentum() {
        float[] d = {0.5f, -1f};
        Aggregator opt = ServerOptimizer.fedAvgM(new Scripted(d, d), 1.0, 0.9);
        // round 1: v = Δ = (0.5, −1), w = (1.5, 1); round 2: v = 0.9·Δ + Δ = (0.95, −1.9), w = (2.45, −0.9)
        assertArrayEquals(new float[] {2.45f, -0.9f}, run(opt, w(1f, 2f), 2), 1e-6f);
    }

    @Test
    void fedAdamStepsByFirstOverRootSecondMoment() {
        float[] d = {0.5f, -1f};
        Aggregator opt = ServerOptimizer.fedAdam(new Scripted(d, d), 0.1, 0.9, 0.99, 1e-3);
        // round 1: m = 0.1Δ = (0.05, −0.1), v = 0.01Δ² = (0.0025, 0.01)
        double w0 = 1 + 0.1 * 0.05 / (0.05 + 1e-3);
        double w1 = 2 + 0.1 * -0.1 / (0.1 + 1e-3);
        assertArrayEquals(new float[] {(float) w0, (float) w1},
                run(ServerOptimizer.fedAdam(new Scripted(d), 0.1, 0.9, 0.99, 1e-3), w(1f, 2f), 1), 1e-6f);
        // round 2: m = (0.095, −0.19), v = 0.99·(0.0025, 0.01) + 0.01·(0.25, 1) = (0.004975, 0.0199)
        w0 += 0.1 * 0.095 / (Math.sqrt(0.004975) + 1e-3);
        w1 += 0.1 * -0.19 / (Math.sqrt(0.0199) + 1e-3);
        assertArrayEquals(new float[] {(float) w0, (float) w1}, run(opt, w(1f, 2f), 2), 1e-6f);
    }

    @Test
    void fedYogiMovesTheSecondMomentAdditively() {
        float[] d1 = {0.5f, -1f};
        float[] d2 = {0.01f, -1f};
        Aggregator opt = ServerOptimizer.fedYogi(new Scripted(d1, d2), 0.1, 0.9, 0.99, 1e-3);
        // round 1 as Adam from v = 0: v = (0.0025, 0.01), m = (0.05, −0.1)
        double w0 = 1 + 0.1 * 0.05 / (0.05 + 1e-3);
        double w1 = 2 + 0.1 * -0.1 / (0.1 + 1e-3);
        // round 2: Δ² = (1e-4, 1); v − Δ² = (+, −) so v = (0.0025 − 0.01·1e-4, 0.01 + 0.01·1) = (0.002499, 0.02)
        // m = 0.9·(0.05, −0.1) + 0.1·(0.01, −1) = (0.046, −0.19)
        w0 += 0.1 * 0.046 / (Math.sqrt(0.002499) + 1e-3);
        w1 += 0.1 * -0.19 / (Math.sqrt(0.02) + 1e-3);
        assertArrayEquals(new float[] {(float) w0, (float) w1}, run(opt, w(1f, 2f), 2), 1e-6f);
    }

    /** Rounds 1..rounds with their own round numbers, as a run aggregates them. */
    private static float[] runNumbered(Aggregator a, ModelState start, int rounds) {
        ModelState s = start;
        for (int r = 1; r <= rounds; r++) {
            s = a.aggregate(s, List.of(), new RoundContext(r, 0, 10, 2, List.of()));
        }
        return s.part("w").toFloatVector();
    }

    @Test
    void aDecayedLearningRateShrinksByGammaEachRound() {
        ServerOptimizer opt = ServerOptimizer.fedAvgM(new Scripted(), 0.1, 0.9).withLearningRateDecay(0.5);
        assertEquals(0.1, opt.learningRate(1));
        assertEquals(0.05, opt.learningRate(2));
        assertEquals(0.0125, opt.learningRate(4));
        ServerOptimizer constant = ServerOptimizer.fedAvgM(new Scripted(), 0.1, 0.9);
        assertEquals(0.1, constant.learningRate(1));
        assertEquals(0.1, constant.learningRate(50));
        assertEquals(0.1, constant.withLearningRateDecay(1).learningRate(50));
    }

    @Test
    void fedAvgMWithDecayStepsRoundTWithEtaTimesGammaToTheTMinusOne() {
        float[] d = {0.5f, -1f};
        Aggregator opt = ServerOptimizer.fedAvgM(new Scripted(d, d), 1.0, 0.9).withLearningRateDecay(0.5);
        // round 1 (η 1): v = (0.5, −1), w = (1.5, 1); round 2 (η 0.5): v = (0.95, −1.9), w = (1.975, 0.05)
        assertArrayEquals(new float[] {1.975f, 0.05f}, runNumbered(opt, w(1f, 2f), 2), 1e-6f);
        // without the decay the round number does not matter: the undecayed fedAvgM result
        assertArrayEquals(new float[] {2.45f, -0.9f},
                runNumbered(ServerOptimizer.fedAvgM(new Scripted(d, d), 1.0, 0.9), w(1f, 2f), 2), 1e-6f);
    }

    @Test
    void fedAdamWithDecayScalesOnlyTheStepNotTheMoments() {
        float[] d = {0.5f, -1f};
        Aggregator opt = ServerOptimizer.fedAdam(new Scripted(d, d), 0.1, 0.9, 0.99, 1e-3)
                .withLearningRateDecay(0.25);
        // moments as without decay (see fedAdamStepsByFirstOverRootSecondMoment); round 2 steps with η 0.025
        double w0 = 1 + 0.1 * 0.05 / (0.05 + 1e-3) + 0.025 * 0.095 / (Math.sqrt(0.004975) + 1e-3);
        double w1 = 2 + 0.1 * -0.1 / (0.1 + 1e-3) + 0.025 * -0.19 / (Math.sqrt(0.0199) + 1e-3);
        assertArrayEquals(new float[] {(float) w0, (float) w1}, runNumbered(opt, w(1f, 2f), 2), 1e-6f);
    }

    @Test
    void aResumedDecayedOptimizerContinuesTheSchedule() {
        float[] d1 = {0.5f, -1f};
        float[] d2 = {0.2f, 0.3f};
        ServerOptimizer a = ServerOptimizer.fedYogi(new Scripted(d1, d2), 0.1, 0.9, 0.99, 1e-3)
                .withLearningRateDecay(0.5);
        ModelState s1 = a.aggregate(w(1f, 2f), List.of(), new RoundContext(1, 0, 10, 2, List.of()));
        ServerOptimizer b = ServerOptimizer.fedYogi(new Scripted(d2), 0.1, 0.9, 0.99, 1e-3)
                .withLearningRateDecay(0.5);
        b.restoreState(a.state());
        RoundContext round2 = new RoundContext(2, 0, 10, 2, List.of());
        assertArrayEquals(a.aggregate(s1, List.of(), round2).part("w").toFloatVector(),
                b.aggregate(s1, List.of(), round2).part("w").toFloatVector(), 0f);
    }

    @Test
    void stateRoundTripContinuesBitIdentically() {
        float[] d1 = {0.5f, -1f};
        float[] d2 = {0.2f, 0.3f};
        ServerOptimizer a = ServerOptimizer.fedAdam(new Scripted(d1, d2), 0.1, 0.9, 0.99, 1e-3);
        ModelState s1 = a.aggregate(w(1f, 2f), List.of(), CTX);
        Map<String, INDArray> saved = a.state();
        assertEquals(List.of("m/w", "v/w"), List.copyOf(saved.keySet()));
        ServerOptimizer b = ServerOptimizer.fedAdam(new Scripted(d2), 0.1, 0.9, 0.99, 1e-3);
        b.restoreState(saved);
        assertArrayEquals(a.aggregate(s1, List.of(), CTX).part("w").toFloatVector(),
                b.aggregate(s1, List.of(), CTX).part("w").toFloatVector(), 0f);
    }

    @Test
    void exposesItsInnerAggregatorAndRejectsBadSettings() {
        Aggregator inner = new Scripted();
        assertSame(inner, ServerOptimizer.fedAvgM(inner, 1, 0.9).inner());
        assertThrows(IllegalArgumentException.class, () -> ServerOptimizer.fedAdam(inner, 0, 0.9, 0.99, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> ServerOptimizer.fedAdam(inner, 1, 1.0, 0.99, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> ServerOptimizer.fedYogi(inner, 1, 0.9, 0.99, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptimizer.fedAvgM(inner, 1, 0.9).restoreState(Map.of("x", Nd4j.zeros(1))));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ServerOptimizer.fedAvgM(inner, 1, 0.9).withLearningRateDecay(0));
        assertEquals("learning-rate decay must be in (0, 1], got 0.0", zero.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptimizer.fedAdam(inner, 1, 0.9, 0.99, 1e-3).withLearningRateDecay(1.5));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptimizer.fedAdam(inner, 1, 0.9, 0.99, 1e-3).withLearningRateDecay(Double.NaN));
    }

    @Test
    void theRoundsProtocolReachesTheWrappedAggregator() {
        FitInstructions asked = FitInstructions.builder().learningRate(0.01).build();
        FitInstructions fromRound = FitInstructions.builder().learningRate(0.02).build();
        Aggregator protocol = new Aggregator() {
            @Override
            public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
                return global;
            }

            @Override
            public FitInstructions configureRound(FitInstructions ins, ModelState global, List<Integer> sampled) {
                return sampled.equals(List.of(3, 5)) ? fromRound : ins;
            }
        };
        // a wrapper that turned configureRound into configureFit would skip, e.g., secure aggregation's key exchange
        assertSame(fromRound, ServerOptimizer.fedAvgM(protocol, 1.0, 0.9).configureRound(asked, w(1f), List.of(3, 5)));
        assertSame(asked, ServerOptimizer.fedAvgM(protocol, 1.0, 0.9).configureFit(asked, w(1f)));
    }
}
