package org.example.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.vae.Vae;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class QuickStartTest {
    private final SyntheticBits data = new SyntheticBits(7);

    @Test
    void federatedTrainingWithOwnAggregatorLowersTheLoss() {
        List<Double> losses = new ArrayList<>();
        List<Dataset> shards = data.shards(4, 200, 11);
        ModelState global = QuickStart.train(shards, 5, 2, r -> losses.add(r.metric("client_loss")));

        assertEquals(5, losses.size());
        assertTrue(losses.get(4) < 0.8 * losses.get(0), "client loss should fall by 20 %: " + losses);

        Dataset heldOut = data.mixed(400, 13);
        Vae untrained = new Vae(QuickStart.CONFIG);
        double before = QuickStart.elbo(untrained.initialize(42), heldOut);
        double after = QuickStart.elbo(global, heldOut);
        assertTrue(after > before + 1.0, "held-out ELBO should rise by over 1 nat: " + before + " -> " + after);
    }

    @Test
    void uniformMeanIgnoresSampleCountsAndAcceptsDeltas() {
        // Client 1 (1 example) sends weights [1, 2]; client 2 (3 examples) sends the delta [2, 2] on global [1, 0],
        // i.e. weights [3, 2]. FedAvg would give 1/4 [1, 2] + 3/4 [3, 2] = [2.5, 2]; the uniform mean is [2, 2].
        ModelState global = ModelState.builder(3).part("p", Nd4j.createFromArray(1f, 0f)).build();
        List<ClientUpdate> updates = List.of(
                new ClientUpdate(1, 4, 1, PayloadKind.WEIGHTS, Map.of("p", Nd4j.createFromArray(1f, 2f)), Map.of()),
                new ClientUpdate(2, 4, 3, PayloadKind.DELTA, Map.of("p", Nd4j.createFromArray(2f, 2f)), Map.of()));
        ModelState out = new UniformMean().aggregate(global, updates, new RoundContext(4, 0, 2, 2, List.of(1, 2)));
        assertArrayEquals(new float[] {2f, 2f}, out.part("p").toFloatVector());
    }

    @Test
    void mainRejectsANonPositiveArgumentByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuickStart.main(new String[] {"0"}));
        assertEquals("rounds must be a positive integer, got '0'", e.getMessage());
    }
}
