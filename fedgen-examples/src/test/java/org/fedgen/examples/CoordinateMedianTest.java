package org.fedgen.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class CoordinateMedianTest {
    @Test
    void medianPerCoordinateOverWeightsAndDeltas() {
        ModelState g = ModelState.builder(0).part("p", Nd4j.createFromArray(1f, 1f, 1f)).build();
        List<ClientUpdate> ups = List.of(
                new ClientUpdate(1, 1, 5, PayloadKind.WEIGHTS, Map.of("p", Nd4j.createFromArray(1f, 9f, -3f)), Map.of()),
                new ClientUpdate(2, 1, 5, PayloadKind.DELTA, Map.of("p", Nd4j.createFromArray(1f, 1f, 1f)), Map.of()),
                new ClientUpdate(3, 1, 5, PayloadKind.WEIGHTS, Map.of("p", Nd4j.createFromArray(100f, 0f, 4f)),
                        Map.of()));
        // weights: [1,9,-3], [2,2,2], [100,0,4] -> median per coordinate [2, 2, 2]
        ModelState out = new CoordinateMedian().aggregate(g, ups, new RoundContext(1, 0, 3, 3, List.of(1, 2, 3)));
        assertArrayEquals(new float[] {2f, 2f, 2f}, out.part("p").toFloatVector(), 0f);
    }
}
