package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;

class GeometricMedianTest {
    private static final ModelState GLOBAL = AggTestData.state(new float[] {0, 0}, new float[] {1});
    /** Deltas differ only in w0: 0, 1, 10; equal sample counts. */
    private static final List<ClientUpdate> UPS = List.of(
            AggTestData.update(1, 1, 2, PayloadKind.WEIGHTS, new float[] {0, 0}, new float[] {1}),
            AggTestData.update(2, 1, 2, PayloadKind.DELTA, new float[] {1, 0}, new float[] {0}),
            AggTestData.update(3, 1, 2, PayloadKind.WEIGHTS, new float[] {10, 0}, new float[] {1}));

    @Test
    void oneWeiszfeldStepFromTheMeanIsExact() {
        // v0 = 11/3; distances 11/3, 8/3, 19/3; β ∝ 3/11, 3/8, 3/19;
        // v1 = (1/8 + 10/19) / (1/11 + 1/8 + 1/19) = (99/152) / (449/1672) = 1089/449.
        // Objective at v1: (1/3)(1089/449 + 640/449 + 3401/449) = 5130/1347.
        RoundContext ctx = AggTestData.context(1);
        ModelState out = new GeometricMedian(1, 1e-6, FedAvg.Weighting.SAMPLES).aggregate(GLOBAL, UPS, ctx);
        assertArrayEquals(new float[] {(float) (1089.0 / 449), 0}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1}, out.part("b").toFloatVector(), 0f);
        assertEquals(5130.0 / 1347, ctx.metrics().get("rfa_objective"), 1e-12);
        assertTrue(new GeometricMedian(1, 1e-6, FedAvg.Weighting.SAMPLES) instanceof InspectsIndividualUpdates);
    }

    @Test
    void manyIterationsReachTheOneDimensionalMedian() {
        // In one dimension the geometric median is the median, 1; the outlier at 10 no longer pulls it.
        ModelState out = new GeometricMedian(200, 1e-9, FedAvg.Weighting.UNIFORM).aggregate(GLOBAL, UPS,
                AggTestData.context(1));
        assertEquals(1.0, out.part("w").getDouble(0), 1e-3);
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GeometricMedian(0, 1e-6, FedAvg.Weighting.SAMPLES));
        assertThrows(IllegalArgumentException.class, () -> new GeometricMedian(3, 0, FedAvg.Weighting.SAMPLES));
        assertThrows(IllegalArgumentException.class,
                () -> new GeometricMedian(3, Double.NaN, FedAvg.Weighting.SAMPLES));
    }
}
