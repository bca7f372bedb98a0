package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;

class KrumTest {
    private static final ModelState GLOBAL = AggTestData.state(new float[] {0, 0}, new float[] {1});
    /**
     * w deltas A=(0,0), B=(1,0), C=(0,2), D=(1,1), E=(10,10); b deltas 0. Squared distances: AB 1, AC 4, AD 2, AE 200,
     * BC 5, BD 1, BE 181, CD 2, CE 164, DE 162. With f = 1, n = 5 each score sums the n − f − 2 = 2 nearest:
     * A 1+2 = 3, B 1+1 = 2, C 2+4 = 6, D 1+2 = 3, E 162+164 = 326.
     */
    private static final List<ClientUpdate> UPS = List.of(
            AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {0, 0}, new float[] {1}),
            AggTestData.update(2, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 0}, new float[] {1}),
            AggTestData.update(3, 1, 1, PayloadKind.DELTA, new float[] {0, 2}, new float[] {0}),
            AggTestData.update(4, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 1}, new float[] {1}),
            AggTestData.update(5, 1, 1_000_000, PayloadKind.WEIGHTS, new float[] {10, 10}, new float[] {1}));

    @Test
    void scoresSumTheSquaredDistancesToTheNMinusFMinus2Nearest() {
        assertArrayEquals(new double[] {3, 2, 6, 3, 326}, Krum.krum(1).scores(DeltaRows.of(GLOBAL, UPS)), 0);
    }

    @Test
    void krumPicksTheLowestScore() {
        ModelState out = Krum.krum(1).aggregate(GLOBAL, UPS, AggTestData.context(1));
        assertArrayEquals(new float[] {1, 0}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void multiKrumAveragesTheMLowestWithTiesInClientIdOrder() {
        // m = 3: B (2), then A and D (3, A first by id) -> ((1+0+1)/3, (0+0+1)/3)
        ModelState out = Krum.multiKrum(1, 3).aggregate(GLOBAL, UPS, AggTestData.context(1));
        assertArrayEquals(new float[] {(float) (2.0 / 3), (float) (1.0 / 3)}, out.part("w").toFloatVector(), 0f);
        // m = 0 means n − f = 4: B, A, D, C -> ((1+0+1+0)/4, (0+0+1+2)/4); E (a million claimed examples) is out
        ModelState all = Krum.multiKrum(1, 0).aggregate(GLOBAL, UPS, AggTestData.context(1));
        assertArrayEquals(new float[] {0.5f, 0.75f}, all.part("w").toFloatVector(), 0f);
        assertTrue(Krum.krum(1) instanceof InspectsIndividualUpdates);
    }

    @Test
    void tooFewUpdatesForFKeepTheGlobalStateAndAreRefusedUpFront() {
        RoundContext ctx = AggTestData.context(1);
        assertSame(GLOBAL, Krum.krum(1).aggregate(GLOBAL, UPS.subList(0, 4), ctx));
        assertEquals(1.0, ctx.metrics().get("krum_refused"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Krum.krum(1).requireEnough(4));
        assertTrue(e.getMessage().contains("2f + 3 = 5") && e.getMessage().contains("have 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Krum.multiKrum(1, 6).requireEnough(5));
        Krum.multiKrum(1, 5).requireEnough(5);
        assertThrows(IllegalArgumentException.class, () -> new Krum(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Krum(1, -1));
    }
}
