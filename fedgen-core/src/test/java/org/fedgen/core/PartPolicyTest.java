package org.fedgen.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedProx;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PartPolicyTest {
    private static ModelState global() {
        return ModelState.builder(0).part("encoder", Nd4j.createFromArray(0f, 0f))
                .part("decoder", Nd4j.createFromArray(0f)).part("head", Nd4j.createFromArray(5f)).build();
    }

    private static ClientUpdate update(int id, long n, float dec, float head) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("decoder", Nd4j.createFromArray(dec));
        return new ClientUpdate(id, 1, n, PayloadKind.WEIGHTS, p, Map.of());
    }

    @Test
    void instructionsFollowThePolicy() {
        PartPolicy policy = PartPolicy.builder().localOnly("encoder").serverTrained("head")
                .otherwise(new FedProx(0.01)).build();
        FitInstructions ins = policy.configureFit(FitInstructions.builder().build(), global());
        assertEquals(Set.of("encoder", "decoder"), ins.trainParts());
        assertEquals(Set.of("decoder"), ins.sendParts());
        assertEquals(Set.of("encoder"), ins.persistParts());
        assertEquals(Set.of("encoder"), ins.resumeParts());
        assertEquals(0.01, ins.proximalMu());
    }

    @Test
    void onlyRoutedPartsAreAggregatedAndOthersKeepTheirGlobalValue() {
        PartPolicy policy = PartPolicy.builder().localOnly("encoder").serverTrained("head")
                .route(FedAvg.uniform(), "decoder").build();
        ModelState out = policy.aggregate(global(), List.of(update(1, 1, 2f, 0), update(2, 9, 4f, 0)),
                new RoundContext(1, 1, 2, 2, List.of(1, 2)));
        assertArrayEquals(new float[] {3f}, out.part("decoder").toFloatVector(), 0f);
        assertArrayEquals(new float[] {0f, 0f}, out.part("encoder").toFloatVector(), 0f);
        assertArrayEquals(new float[] {5f}, out.part("head").toFloatVector(), 0f);
    }

    @Test
    void differentAggregatorsPerPart() {
        ModelState g = ModelState.builder(0).part("a", Nd4j.createFromArray(0f)).part("b", Nd4j.createFromArray(0f))
                .build();
        PartPolicy policy = PartPolicy.builder().route(FedAvg.uniform(), "a").otherwise(new FedAvg()).build();
        Map<String, INDArray> p1 = Map.of("a", Nd4j.createFromArray(1f), "b", Nd4j.createFromArray(1f));
        Map<String, INDArray> p2 = Map.of("a", Nd4j.createFromArray(4f), "b", Nd4j.createFromArray(4f));
        List<ClientUpdate> ups = List.of(new ClientUpdate(1, 1, 1, PayloadKind.WEIGHTS, p1, Map.of()),
                new ClientUpdate(2, 1, 2, PayloadKind.WEIGHTS, p2, Map.of()));
        ModelState out = policy.aggregate(g, ups, new RoundContext(1, 1, 2, 2, List.of(1, 2)));
        assertArrayEquals(new float[] {2.5f}, out.part("a").toFloatVector(), 0f);
        assertArrayEquals(new float[] {3f}, out.part("b").toFloatVector(), 0f);
    }

    @Test
    void namingAPartTwiceOrAnUnknownPartIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> PartPolicy.builder().localOnly("encoder").serverTrained("encoder"));
        PartPolicy p = PartPolicy.builder().route(new FedAvg(), "nope").otherwise(new FedAvg()).build();
        assertThrows(IllegalArgumentException.class, () -> p.configureFit(FitInstructions.builder().build(), global()));
    }
}
