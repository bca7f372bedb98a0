package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.PayloadKind;
import org.junit.jupiter.api.Test;

class CoordinateMedianTest {
    private static final ModelState GLOBAL = AggTestData.state(new float[] {0, 0}, new float[] {1});

    @Test
    void oddCountTakesTheMiddleDeltaPerCoordinateIgnoringClaimedExamples() {
        // deltas w: [1,5], [2,-1], [100,3] -> medians [2, 3]; b deltas 0, 3, -8 -> 0, so b = 1 + 0.
        // Client 3 claims 10^9 examples: the median ignores it.
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 5}, new float[] {1}),
                AggTestData.update(2, 1, 1, PayloadKind.WEIGHTS, new float[] {2, -1}, new float[] {4}),
                AggTestData.update(3, 1, 1_000_000_000L, PayloadKind.WEIGHTS, new float[] {100, 3}, new float[] {-7}));
        ModelState out = new CoordinateMedian().aggregate(GLOBAL, ups, AggTestData.context(1));
        assertArrayEquals(new float[] {2, 3}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void evenCountAveragesTheTwoMiddleDeltasAndAcceptsDeltaPayloads() {
        // Client 4 sends a DELTA of w [3, 0], b 2. Column w0: 1,2,3,100 -> (2+3)/2 = 2.5; w1: -1,0,3,5 -> 1.5;
        // b deltas -8,0,2,3 -> (0+2)/2 = 1, so b = 1 + 1 = 2.
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 5}, new float[] {1}),
                AggTestData.update(2, 1, 1, PayloadKind.WEIGHTS, new float[] {2, -1}, new float[] {4}),
                AggTestData.update(3, 1, 1, PayloadKind.WEIGHTS, new float[] {100, 3}, new float[] {-7}),
                AggTestData.update(4, 1, 1, PayloadKind.DELTA, new float[] {3, 0}, new float[] {2}));
        ModelState out = new CoordinateMedian().aggregate(GLOBAL, ups, AggTestData.context(1));
        assertArrayEquals(new float[] {2.5f, 1.5f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {2}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void routedByAPartPolicyItSeesOnlyItsPartAndIsMarkedAsInspecting() {
        // median on w ([2, 3] as above), FedAvg on b: (1·1 + 1·4 + 1·(-7)) / 3 = -2/3
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 5}, new float[] {1}),
                AggTestData.update(2, 1, 1, PayloadKind.WEIGHTS, new float[] {2, -1}, new float[] {4}),
                AggTestData.update(3, 1, 1, PayloadKind.WEIGHTS, new float[] {100, 3}, new float[] {-7}));
        PartPolicy policy = PartPolicy.builder().route(new CoordinateMedian(), "w").otherwise(new FedAvg()).build();
        ModelState out = policy.aggregate(GLOBAL, ups, AggTestData.context(1));
        assertArrayEquals(new float[] {2, 3}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {(float) (-2.0 / 3)}, out.part("b").toFloatVector(), 1e-7f);
        assertTrue(new CoordinateMedian() instanceof InspectsIndividualUpdates);
    }

    @Test
    void noUpdatesKeepTheGlobalState() {
        assertSame(GLOBAL, new CoordinateMedian().aggregate(GLOBAL, List.of(), AggTestData.context(1)));
    }
}
