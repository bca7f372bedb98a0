package org.fedgen.core.aggregate;

import static org.fedgen.core.aggregate.AggTestData.context;
import static org.fedgen.core.aggregate.AggTestData.state;
import static org.fedgen.core.aggregate.AggTestData.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.junit.jupiter.api.Test;

class FedExpTest {
    private static final ModelState GLOBAL = state(new float[] {1f, 2f}, new float[] {0f});

    /**
     * n = (1, 1); Δ_0 = (3, 0 | 1) sent as a delta, Δ_1 = (−1, 0 | 1) sent as weights (0, 2 | 1). Δ̄ = (1, 0 | 1),
     * ‖Δ̄‖² = 2, Σ p_k ‖Δ_k‖² = (10 + 2) / 2 = 6.
     */
    private static List<ClientUpdate> halfCancelling() {
        return List.of(update(0, 1, 1, PayloadKind.DELTA, new float[] {3f, 0f}, new float[] {1f}),
                update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {0f, 2f}, new float[] {1f}));
    }

    @Test
    void stepIsHalfTheMeanSquaredUpdateOverTheSquaredAverage() {
        RoundContext ctx = context(1);
        ModelState out = new FedExp(new FedAvg(), 0).aggregate(GLOBAL, halfCancelling(), ctx);
        // η = 6 / (2 · 2) = 1.5; w = (1, 2 | 0) + 1.5 · (1, 0 | 1)
        assertEquals(1.5, ctx.metrics().get(FedExp.METRIC), 1e-12);
        assertArrayEquals(new float[] {2.5f, 2f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1.5f}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void clientsAreWeightedByTheirExamples() {
        // n = (1, 3); Δ_0 = (−3, 0 | 0), Δ_1 = (1, 0 | 2): Δ̄ = (0, 0 | 1.5), ‖Δ̄‖² = 2.25,
        // Σ p_k ‖Δ_k‖² = 9/4 + 3·5/4 = 6, η = 6 / 4.5 = 4/3; w = (1, 2 | 0 + 4/3 · 1.5)
        RoundContext ctx = context(1);
        ModelState out = new FedExp(new FedAvg(), 0).aggregate(GLOBAL, List.of(
                update(0, 1, 1, PayloadKind.DELTA, new float[] {-3f, 0f}, new float[] {0f}),
                update(1, 1, 3, PayloadKind.DELTA, new float[] {1f, 0f}, new float[] {2f})), ctx);
        assertEquals(4.0 / 3, ctx.metrics().get(FedExp.METRIC), 1e-12);
        assertArrayEquals(new float[] {1f, 2f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {2f}, out.part("b").toFloatVector(), 1e-6f);
    }

    @Test
    void epsilonDampsTheStepAndItNeverFallsBelowOne() {
        RoundContext damped = context(1);
        new FedExp(new FedAvg(), 0.5).aggregate(GLOBAL, halfCancelling(), damped);
        // 6 / (2 · (2 + 0.5)) = 1.2
        assertEquals(1.2, damped.metrics().get(FedExp.METRIC), 1e-12);
        RoundContext floored = context(1);
        ModelState out = new FedExp(new FedAvg(), 2).aggregate(GLOBAL, halfCancelling(), floored);
        // 6 / (2 · 4) = 0.75 → 1: plain FedAvg, bit for bit
        assertEquals(1.0, floored.metrics().get(FedExp.METRIC));
        ModelState plain = new FedAvg().aggregate(GLOBAL, halfCancelling(), context(1));
        assertArrayEquals(plain.part("w").toFloatVector(), out.part("w").toFloatVector(), 0f);
        assertArrayEquals(plain.part("b").toFloatVector(), out.part("b").toFloatVector(), 0f);
    }

    @Test
    void agreeingClientsGetPlainAveraging() {
        // identical deltas: Σ p‖Δ‖² = ‖Δ̄‖², η = max(1, 1/2) = 1
        List<ClientUpdate> same = List.of(
                update(0, 1, 2, PayloadKind.DELTA, new float[] {1f, -2f}, new float[] {3f}),
                update(1, 1, 5, PayloadKind.DELTA, new float[] {1f, -2f}, new float[] {3f}));
        RoundContext ctx = context(1);
        ModelState out = new FedExp(new FedAvg(), 0).aggregate(GLOBAL, same, ctx);
        assertEquals(1.0, ctx.metrics().get(FedExp.METRIC));
        ModelState plain = new FedAvg().aggregate(GLOBAL, same, context(1));
        assertArrayEquals(plain.part("w").toFloatVector(), out.part("w").toFloatVector(), 0f);
    }

    @Test
    void stepIsOneOverTwiceTheShareThatDoesNotCancel() {
        RoundContext ctx = context(1);
        new FedExp(new DriftMeter(new FedAvg()), 0).aggregate(GLOBAL, halfCancelling(), ctx);
        double drift = ctx.metrics().get(DriftMeter.METRIC);
        assertEquals(1 - 2.0 / 6, drift, 1e-12);
        assertEquals(1 / (2 * (1 - drift)), ctx.metrics().get(FedExp.METRIC), 1e-12);
    }

    @Test
    void streamedRoundEqualsBufferedRound() {
        FedExp exp = new FedExp(new FedAvg(), 0);
        assertTrue(exp.streams());
        RoundContext streamedCtx = context(1);
        ModelState streamed = StreamingAggregator.foldAll(exp, GLOBAL, halfCancelling(), streamedCtx);
        RoundContext bufferedCtx = context(1);
        ModelState buffered = exp.aggregate(GLOBAL, halfCancelling(), bufferedCtx);
        assertEquals(bufferedCtx.metrics(), streamedCtx.metrics());
        assertArrayEquals(buffered.part("w").toFloatVector(), streamed.part("w").toFloatVector(), 0f);
        assertArrayEquals(buffered.part("b").toFloatVector(), streamed.part("b").toFloatVector(), 0f);
        assertFalse(new FedExp(new CoordinateMedian(), 0).streams());
    }

    @Test
    void aRoundWithoutUpdatesKeepsTheGlobalStateAndRecordsNoStep() {
        RoundContext ctx = context(1);
        ModelState out = new FedExp(new FedAvg(), 0).aggregate(GLOBAL, List.of(), ctx);
        assertSame(GLOBAL, out);
        assertFalse(ctx.metrics().containsKey(FedExp.METRIC));
    }

    @Test
    void stepSizeFormula() {
        FedExp exp = new FedExp(new FedAvg(), 1e-3);
        assertEquals(6 / (2 * 2.001), exp.stepSize(6, 2), 1e-15);
        assertEquals(1.0, exp.stepSize(0.5, 2));
        assertEquals(1.0, new FedExp(new FedAvg(), 0).stepSize(0, 0));
    }

    @Test
    void rejectsGradientsAndBadSettings() {
        FedExp exp = new FedExp(new FedAvg(), 0);
        List<ClientUpdate> grads = List.of(update(0, 1, 1, PayloadKind.GRADIENT, new float[] {1f, 0f},
                new float[] {0f}));
        assertThrows(IllegalStateException.class, () -> exp.aggregate(GLOBAL, grads, context(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FedExp(new FedAvg(), -1));
        assertEquals("FedExP epsilon must be finite and >= 0, got -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FedExp(null, 0));
        assertThrows(IllegalArgumentException.class, () -> new FedExp(new FedAvg(), Double.NaN));
    }
}
