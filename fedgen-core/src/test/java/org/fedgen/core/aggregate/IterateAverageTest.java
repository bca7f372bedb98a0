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
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.StreamingAggregator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class IterateAverageTest {
    private static final ModelState GLOBAL = state(new float[] {1f, 2f}, new float[] {0f});

    /** Δ = (3, 0 | 1) and (−1, 0 | 1) with n = (1, 1): FedExP with ε = 0 steps 1.5 Δ̄ to (2.5, 2 | 1.5). */
    private static List<ClientUpdate> updates() {
        return List.of(update(0, 1, 1, PayloadKind.DELTA, new float[] {3f, 0f}, new float[] {1f}),
                update(1, 1, 1, PayloadKind.DELTA, new float[] {-1f, 0f}, new float[] {1f}));
    }

    @Test
    void averagesTheStateTheRoundStartedFromWithTheOneItProduced() {
        FedExp exp = new FedExp(new FedAvg(), 0);
        IterateAverage avg = new IterateAverage(exp);
        assertFalse(avg.hasAverage());
        ModelState out = avg.aggregate(GLOBAL, updates(), context(3));
        // the result is FedExP's own
        assertArrayEquals(new float[] {2.5f, 2f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1.5f}, out.part("b").toFloatVector(), 0f);
        // ((1, 2 | 0) + (2.5, 2 | 1.5)) / 2
        ModelState a = avg.average();
        assertEquals(3, a.round());
        assertArrayEquals(new float[] {1.75f, 2f}, a.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {0.75f}, a.part("b").toFloatVector(), 0f);
        assertSame(exp, avg.inner());
    }

    @Test
    void streamedEqualsBufferedAndTheStateRestores() {
        IterateAverage streamed = new IterateAverage(new FedExp(new FedAvg(), 0));
        assertTrue(streamed.streams());
        StreamingAggregator.foldAll(streamed, GLOBAL, updates(), context(2));
        IterateAverage buffered = new IterateAverage(new FedExp(new FedAvg(), 0));
        buffered.aggregate(GLOBAL, updates(), context(2));
        assertArrayEquals(buffered.average().part("w").toFloatVector(), streamed.average().part("w").toFloatVector(),
                0f);
        Map<String, INDArray> s = streamed.state();
        assertEquals(List.of("average/w", "average/b", "round"), List.copyOf(s.keySet()));
        IterateAverage restored = new IterateAverage(new FedExp(new FedAvg(), 0));
        restored.restoreState(s);
        assertEquals(2, restored.average().round());
        assertArrayEquals(new float[] {1.75f, 2f}, restored.average().part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {0.75f}, restored.average().part("b").toFloatVector(), 0f);
    }

    @Test
    void rejectsUnknownStateAndAverageBeforeAnyRound() {
        IterateAverage avg = new IterateAverage(new FedAvg());
        assertThrows(IllegalStateException.class, avg::average);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> avg.restoreState(Map.of("ema/w", GLOBAL.part("w"))));
        assertTrue(e.getMessage().startsWith("unknown iterate-average state entry 'ema/w'"), e.getMessage());
    }
}
