package org.fedgen.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

class FedAvgTest {
    private static final ModelState GLOBAL = AggTestData.state(new float[] {0, 0}, new float[] {1});
    private static final RoundContext CTX = AggTestData.context(1);

    @Test
    void sampleWeightedMeanIsExact() {
        // n = 1, 3: weights 1/4 and 3/4 -> w = (1·[1,2] + 3·[3,4]) / 4 = [2.5, 3.5], b = (10 + 3·(-2))/4 = 1
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 2}, new float[] {10}),
                AggTestData.update(2, 1, 3, PayloadKind.WEIGHTS, new float[] {3, 4}, new float[] {-2}));
        ModelState out = new FedAvg().aggregate(GLOBAL, ups, CTX);
        assertArrayEquals(new float[] {2.5f, 3.5f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {1f}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void uniformMeanIgnoresSampleCounts() {
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 2}, new float[] {10}),
                AggTestData.update(2, 1, 3, PayloadKind.WEIGHTS, new float[] {3, 4}, new float[] {-2}));
        ModelState out = FedAvg.uniform().aggregate(GLOBAL, ups, CTX);
        assertArrayEquals(new float[] {2f, 3f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {4f}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void deltasAndWeightsGiveTheSameAverage() {
        ModelState g = AggTestData.state(new float[] {1, 1}, new float[] {2});
        // client 1 weights [2,4] = global + [1,3]; client 2 sends delta [-1, 1] (weights [0, 2]); n = 1, 1
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {2, 4}, new float[] {2}),
                AggTestData.update(2, 1, 1, PayloadKind.DELTA, new float[] {-1, 1}, new float[] {4}));
        ModelState out = new FedAvg().aggregate(g, ups, CTX);
        assertArrayEquals(new float[] {1f, 3f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {4f}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void noUpdatesOrNoExamplesKeepTheGlobalState() {
        assertSame(GLOBAL, new FedAvg().aggregate(GLOBAL, List.of(), CTX));
        List<ClientUpdate> zero = List.of(
                AggTestData.update(1, 1, 0, PayloadKind.WEIGHTS, new float[] {5, 5}, new float[] {5}));
        assertSame(GLOBAL, new FedAvg().aggregate(GLOBAL, zero, CTX));
    }

    @Test
    void gradientsAreRefusedWithAClearError() {
        List<ClientUpdate> ups = List.of(
                AggTestData.update(7, 1, 1, PayloadKind.GRADIENT, new float[] {1, 2}, new float[] {1}));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new FedAvg().aggregate(GLOBAL, ups, CTX));
        assertTrue(e.getMessage().contains("client 7"), e.getMessage());
    }

    @Test
    void fedProxSetsMuAndAveragesLikeFedAvg() {
        FedProx prox = new FedProx(0.1);
        assertTrue(prox.configureFit(org.fedgen.core.FitInstructions.builder().build(), GLOBAL).proximalMu() == 0.1);
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {1, 2}, new float[] {10}),
                AggTestData.update(2, 1, 3, PayloadKind.WEIGHTS, new float[] {3, 4}, new float[] {-2}));
        assertArrayEquals(new float[] {2.5f, 3.5f}, prox.aggregate(GLOBAL, ups, CTX).part("w").toFloatVector(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new FedProx(-1));
        assertThrows(IllegalArgumentException.class, () -> new FedProx(Double.NaN));
    }

    @Test
    void fedSgdTakesOneServerStepOnTheWeightedGradient() {
        // w = [0,0] - 0.5·(1/4·[4,8] + 3/4·[8,-4]) = -0.5·[7, -1] = [-3.5, 0.5]; b = 1 - 0.5·(1/4·2 + 3/4·2) = 0
        FedSgd sgd = new FedSgd(0.5);
        List<ClientUpdate> ups = List.of(
                AggTestData.update(1, 1, 1, PayloadKind.GRADIENT, new float[] {4, 8}, new float[] {2}),
                AggTestData.update(2, 1, 3, PayloadKind.GRADIENT, new float[] {8, -4}, new float[] {2}));
        ModelState out = sgd.aggregate(GLOBAL, ups, CTX);
        assertArrayEquals(new float[] {-3.5f, 0.5f}, out.part("w").toFloatVector(), 0f);
        assertArrayEquals(new float[] {0f}, out.part("b").toFloatVector(), 0f);
        assertTrue(sgd.configureFit(org.fedgen.core.FitInstructions.builder().build(), GLOBAL).payloadKind()
                == PayloadKind.GRADIENT);
        assertThrows(IllegalStateException.class, () -> sgd.aggregate(GLOBAL, List.of(
                AggTestData.update(1, 1, 1, PayloadKind.WEIGHTS, new float[] {4, 8}, new float[] {2})), CTX));
    }

    @Test
    void payloadVectorsAreNotModified() {
        ClientUpdate u = AggTestData.update(1, 1, 2, PayloadKind.DELTA, new float[] {1, 2}, new float[] {3});
        new FedAvg().aggregate(GLOBAL, List.of(u), CTX);
        assertArrayEquals(new float[] {1, 2}, u.part("w").toFloatVector(), 0f);
        assertArrayEquals(Nd4j.createFromArray(0f, 0f).toFloatVector(), GLOBAL.part("w").toFloatVector(), 0f);
    }
}
