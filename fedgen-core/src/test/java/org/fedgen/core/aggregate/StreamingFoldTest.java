package org.fedgen.core.aggregate;

import static org.fedgen.core.aggregate.AggTestData.context;
import static org.fedgen.core.aggregate.AggTestData.state;
import static org.fedgen.core.aggregate.AggTestData.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.StreamingAggregator;
import org.junit.jupiter.api.Test;

class StreamingFoldTest {
    private static final ModelState GLOBAL = state(new float[] {1, 2}, new float[] {4});

    private static ModelState fold(StreamingAggregator a, ClientUpdate... updates) {
        return StreamingAggregator.foldAll(a, GLOBAL, List.of(updates), context(1));
    }

    @Test
    void fedAvgFoldDividesTheExampleWeightedSumOnceAndAddsTheGlobalForDeltas() {
        // n=1 weights (3, 6 | 0); n=3 delta (1, -2 | 4) i.e. weights (2, 0 | 8).
        // S = 1·(3, 6 | 0) + 3·(1, -2 | 4) = (6, 0 | 12); C = 4; D = 3:
        // S/C + (D/C)·global = (1.5, 0 | 3) + 0.75·(1, 2 | 4) = (2.25, 1.5 | 6) = (1·(3,6|0) + 3·(2,0|8)) / 4.
        ModelState out = fold(new FedAvg(), update(0, 1, 1, PayloadKind.WEIGHTS, new float[] {3, 6}, new float[] {0}),
                update(1, 1, 3, PayloadKind.DELTA, new float[] {1, -2}, new float[] {4}));
        assertArrayEquals(new float[] {2.25f, 1.5f}, out.part("w").toFloatVector());
        assertArrayEquals(new float[] {6f}, out.part("b").toFloatVector());
    }

    @Test
    void uniformFedAvgFoldIgnoresExampleCounts() {
        ModelState out = fold(FedAvg.uniform(), update(0, 1, 1, PayloadKind.WEIGHTS, new float[] {3, 6},
                new float[] {0}), update(1, 1, 3, PayloadKind.WEIGHTS, new float[] {1, -2}, new float[] {4}));
        assertArrayEquals(new float[] {2f, 2f}, out.part("w").toFloatVector());
        assertArrayEquals(new float[] {2f}, out.part("b").toFloatVector());
    }

    @Test
    void fedSgdFoldStepsAgainstTheExampleWeightedMeanGradient() {
        // mean g = (1·(4, 0 | 2) + 3·(0, 4 | -2)) / 4 = (1, 3 | -1); w = global − 0.5·g = (0.5, 0.5 | 4.5).
        ModelState out = fold(new FedSgd(0.5), update(0, 1, 1, PayloadKind.GRADIENT, new float[] {4, 0},
                new float[] {2}), update(1, 1, 3, PayloadKind.GRADIENT, new float[] {0, 4}, new float[] {-2}));
        assertArrayEquals(new float[] {0.5f, 0.5f}, out.part("w").toFloatVector());
        assertArrayEquals(new float[] {4.5f}, out.part("b").toFloatVector());
    }

    @Test
    void anEmptyFoldOrOneWithoutExamplesKeepsTheGlobalState() {
        assertSame(GLOBAL, fold(new FedAvg()));
        assertSame(GLOBAL, fold(new FedSgd(1.0)));
        assertSame(GLOBAL, fold(new FedAvg(), update(0, 1, 0, PayloadKind.WEIGHTS, new float[] {9, 9},
                new float[] {9})));
    }

    @Test
    void foldsRefuseThePayloadKindTheirRuleCannotUse() {
        ClientUpdate gradient = update(0, 1, 1, PayloadKind.GRADIENT, new float[] {1, 1}, new float[] {1});
        ClientUpdate weights = update(0, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 1}, new float[] {1});
        assertThrows(IllegalStateException.class, () -> fold(new FedAvg(), gradient));
        assertThrows(IllegalStateException.class, () -> fold(new FedSgd(1.0), weights));
    }
}
