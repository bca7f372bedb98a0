package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.junit.jupiter.api.Test;

class TrimmedMeanTest {
    private static final ModelState GLOBAL = AggTestData.state(new float[] {0, 0}, new float[] {1});
    /** Deltas w0: 1,2,3,4,100; w1: 2,3,-50,0,1; b: 0,0,0,0,9. */
    private static final List<ClientUpdate> UPS = List.of(
            AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 2}, new float[] {1}),
            AggTestData.update(2, 1, 1, PayloadKind.WEIGHTS, new float[] {2, 3}, new float[] {1}),
            AggTestData.update(3, 1, 1, PayloadKind.DELTA, new float[] {3, -50}, new float[] {0}),
            AggTestData.update(4, 1, 1, PayloadKind.WEIGHTS, new float[] {4, 0}, new float[] {1}),
            AggTestData.update(5, 1, 500, PayloadKind.WEIGHTS, new float[] {100, 1}, new float[] {10}));

    @Test
    void dropsTheFloorOfBetaKAtEachEndPerCoordinate() {
        // beta = 0.25, K = 5: b = 1. w0: drop 1 and 100 -> (2+3+4)/3 = 3; w1: drop -50 and 3 -> (0+1+2)/3 = 1;
        // b: drop 0 and 9 -> 0, b = 1. Client 5's 500 examples do not count.
        TrimmedMean t = new TrimmedMean(0.25);
        assertEquals(1, t.trimmed(5));
        ModelState out = t.aggregate(GLOBAL, UPS, AggTestData.context(1));
        assertArrayEquals(new float[] {3, 1}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1}, out.part("b").toFloatVector(), 0f);
        assertTrue(t instanceof InspectsIndividualUpdates);
    }

    @Test
    void aBetaBelowOneOverKTrimsNothingAndGivesTheUniformMean() {
        // beta = 0.1, K = 5: b = 0. w0 = 110/5 = 22, w1 = -44/5 = -8.8, b = 1 + 9/5 = 2.8
        ModelState out = new TrimmedMean(0.1).aggregate(GLOBAL, UPS, AggTestData.context(1));
        assertArrayEquals(new float[] {22f, (float) (-44.0 / 5)}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {(float) (1 + 9.0 / 5)}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void betaOutsideZeroToOneHalfIsRefusedNamingIt() {
        for (double bad : new double[] {0.5, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrimmedMean(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }
}
