package org.fedgen.core.aggregate;

import static org.fedgen.core.aggregate.AggTestData.context;
import static org.fedgen.core.aggregate.AggTestData.state;
import static org.fedgen.core.aggregate.AggTestData.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.junit.jupiter.api.Test;

class DriftMeterTest {
    private static final ModelState GLOBAL = state(new float[] {1f, 2f}, new float[] {0f});

    /** Client 0: n = 1, Δ = (1, 0 | 0); client 1: n = 3, weights (1, 3 | 0), i.e. Δ = (0, 1 | 0). */
    private static List<ClientUpdate> twoClients() {
        return List.of(update(0, 1, 1, PayloadKind.DELTA, new float[] {1f, 0f}, new float[] {0f}),
                update(1, 1, 3, PayloadKind.WEIGHTS, new float[] {1f, 3f}, new float[] {0f}));
    }

    @Test
    void driftIsTheShareOfTheMeanSquaredStepThatCancels() {
        RoundContext ctx = context(1);
        ModelState out = new DriftMeter(new FedAvg()).aggregate(GLOBAL, twoClients(), ctx);
        // p = (1/4, 3/4): mean Δ = (1/4, 3/4, 0), ‖mean‖² = 10/16; Σ p‖Δ‖² = 1/4 + 3/4 = 1; drift = 1 − 10/16
        assertEquals(0.375, ctx.metrics().get(DriftMeter.METRIC), 1e-7);
        ModelState plain = new FedAvg().aggregate(GLOBAL, twoClients(), context(1));
        assertArrayEquals(plain.part("w").toFloatVector(), out.part("w").toFloatVector(), 0f);
        assertArrayEquals(plain.part("b").toFloatVector(), out.part("b").toFloatVector(), 0f);
    }

    @Test
    void streamedDriftEqualsBufferedAndTheFoldIsTheInnerOnes() {
        RoundContext ctx = context(1);
        DriftMeter meter = new DriftMeter(new FedAvg());
        ModelState out = StreamingAggregator.foldAll(meter, GLOBAL, twoClients(), ctx);
        assertEquals(0.375, ctx.metrics().get(DriftMeter.METRIC), 1e-7);
        ModelState plain = StreamingAggregator.foldAll(new FedAvg(), GLOBAL, twoClients(), context(1));
        assertArrayEquals(plain.part("w").toFloatVector(), out.part("w").toFloatVector(), 0f);
    }

    @Test
    void identicalStepsHaveNoDriftAndOpposedStepsCancelCompletely() {
        RoundContext same = context(1);
        new DriftMeter(new FedAvg()).aggregate(GLOBAL, List.of(
                update(0, 1, 2, PayloadKind.DELTA, new float[] {1f, -2f}, new float[] {3f}),
                update(1, 1, 5, PayloadKind.DELTA, new float[] {1f, -2f}, new float[] {3f})), same);
        assertEquals(0.0, same.metrics().get(DriftMeter.METRIC), 1e-7);
        RoundContext opposed = context(1);
        new DriftMeter(new FedAvg()).aggregate(GLOBAL, List.of(
                update(0, 1, 4, PayloadKind.DELTA, new float[] {1f, -2f}, new float[] {3f}),
                update(1, 1, 4, PayloadKind.DELTA, new float[] {-1f, 2f}, new float[] {-3f})), opposed);
        assertEquals(1.0, opposed.metrics().get(DriftMeter.METRIC), 1e-7);
    }

    @Test
    void aRoundWithoutExamplesRecordsNoDrift() {
        RoundContext ctx = context(1);
        new DriftMeter(new FedAvg()).aggregate(GLOBAL, List.of(), ctx);
        assertFalse(ctx.metrics().containsKey(DriftMeter.METRIC));
    }
}
