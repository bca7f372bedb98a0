package org.fedgen.privacy;

import static org.fedgen.privacy.Fixtures.state;
import static org.fedgen.privacy.Fixtures.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.fedgen.core.Client;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class LocalDpClientTest {

    /** A client whose "training" returns fixed weights. */
    private record FixedClient(ModelState weights, PayloadKind kind) implements Client {
        @Override
        public int id() {
            return 4;
        }

        @Override
        public long numExamples() {
            return 12;
        }

        @Override
        public ClientUpdate fit(ModelState global, FitInstructions instructions) {
            return new ClientUpdate(4, instructions.round(), 12, kind, weights.parts(), Map.of("loss", 0.5));
        }

        @Override
        public Map<String, Double> evaluate(ModelState global, EvalInstructions instructions) {
            return Map.of("numExamples", 3.0);
        }
    }

    private static final FitInstructions FIT = FitInstructions.builder().seed(77).build();

    @Test
    void sendsTheClippedDeltaWhenThereIsNoNoise() {
        ModelState global = state("a", vec(1f), "b", vec(1f), "c", vec(0f));
        ModelState trained = state("a", vec(4f), "b", vec(5f), "c", vec(7f));
        Client c = new LocalDpClient(new FixedClient(trained, PayloadKind.WEIGHTS), 1.0, 0.0, Set.of("a", "b"),
                NoiseMode.SEEDED);
        ClientUpdate u = c.fit(global, FIT);
        assertEquals(PayloadKind.DELTA, u.kind());
        assertEquals(0.6, u.part("a").getDouble(0), 1e-6);
        assertEquals(0.8, u.part("b").getDouble(0), 1e-6);
        // unprotected part: plain delta
        assertEquals(7.0, u.part("c").getDouble(0), 0);
        assertEquals(0.5, u.metric("loss"));
        assertEquals(12, c.numExamples());
        assertEquals(4, c.id());
    }

    @Test
    void sendsAClippedAndNoisedDelta() {
        int n = 200_000;
        ModelState global = state("a", Nd4j.zeros(DataType.FLOAT, n));
        ModelState delta = state("a", Nd4j.ones(DataType.FLOAT, n));
        double s = 1.0;
        double z = 0.5;
        Client c = new LocalDpClient(new FixedClient(delta, PayloadKind.DELTA), s, z, Set.of(), NoiseMode.SEEDED);
        ClientUpdate u = c.fit(global, FIT);
        assertEquals(PayloadKind.DELTA, u.kind());
        // ‖1‖ = √n, clipped to S: every coordinate is S/√n before the noise
        float clipped = (float) (s / Math.sqrt(n));
        var expected = Nd4j.zeros(DataType.FLOAT, n).addi(clipped);
        assertEquals(z * s, Fixtures.stdOfDifference(u.part("a"), expected), 0.02 * z * s);
        assertEquals(0.0, Fixtures.meanOfDifference(u.part("a"), expected), 5 * z * s / Math.sqrt(n));
        // seeded noise depends on the instructions' seed only: same seed, same payload
        assertArrayEquals(u.part("a").toFloatVector(), c.fit(global, FIT).part("a").toFloatVector(), 0f);
    }

    @Test
    void refusesGradientsAndBadSettings() {
        ModelState global = state("a", vec(0f));
        Client grad = new LocalDpClient(new FixedClient(state("a", vec(1f)), PayloadKind.GRADIENT), 1, 1, Set.of(),
                NoiseMode.SEEDED);
        assertThrows(IllegalArgumentException.class, () -> grad.fit(global, FIT));
        Client inner = new FixedClient(state("a", vec(1f)), PayloadKind.DELTA);
        assertThrows(IllegalArgumentException.class, () -> new LocalDpClient(inner, 0, 1, Set.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new LocalDpClient(inner, 1, -1, Set.of(), null));
        Client missing = new LocalDpClient(inner, 1, 1, Set.of("zzz"), NoiseMode.SEEDED);
        assertThrows(IllegalArgumentException.class, () -> missing.fit(global, FIT));
    }
}
