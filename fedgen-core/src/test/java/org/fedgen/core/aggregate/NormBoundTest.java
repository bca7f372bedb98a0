package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;

class NormBoundTest {
    private static final ModelState GLOBAL = AggTestData.state(new float[] {0, 0}, new float[] {1});

    @Test
    void clipsEachDeltaOverAllPartsThenAveragesBySamples() {
        // M = 2. Client 1: delta (w 0,8; b 0), norm 8 -> factor 1/4 -> (0, 2). Client 2: delta (1,1; 0), norm √2 < 2,
        // kept. n = 1, 3: p = 1/4, 3/4. w = 1/4·(0,2) + 3/4·(1,1) = (0.75, 1.25); b = 1 + 0.
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {0, 8}, new float[] {1}),
                AggTestData.update(2, 1, 3, PayloadKind.WEIGHTS, new float[] {1, 1}, new float[] {1}));
        RoundContext ctx = AggTestData.context(1);
        ModelState out = new NormBound(2).aggregate(GLOBAL, ups, ctx);
        assertArrayEquals(new float[] {0.75f, 1.25f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1}, out.part("b").toFloatVector(), 0f);
        assertEquals(1.0, ctx.metrics().get("norm_bound_clipped"));
    }

    @Test
    void deltaPayloadsGiveTheSameResultAndUniformWeightingIgnoresCounts() {
        // Same deltas sent as DELTA, uniform p = 1/2: w = 1/2·(0,2) + 1/2·(1,1) = (0.5, 1.5)
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.DELTA, new float[] {0, 8}, new float[] {0}),
                AggTestData.update(2, 1, 3, PayloadKind.DELTA, new float[] {1, 1}, new float[] {0}));
        ModelState out = new NormBound(2, FedAvg.Weighting.UNIFORM).aggregate(GLOBAL, ups, AggTestData.context(1));
        assertArrayEquals(new float[] {0.5f, 1.5f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1}, out.part("b").toFloatVector(), 0f);
        assertFalse(InspectsIndividualUpdates.class.isAssignableFrom(NormBound.class));
    }

    @Test
    void aNonPositiveOrNonFiniteBoundIsRefused() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new NormBound(bad));
        }
    }
}
