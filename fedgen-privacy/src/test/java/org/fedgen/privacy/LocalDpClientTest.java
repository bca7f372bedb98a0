package org.fedgen.privacy;

import static org.fedgen.privacy.Fixtures.state;
import static org.fedgen.privacy.Fixtures.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static LocalDpClient.Builder ldp(Client inner) {
        return LocalDpClient.builder(inner).clipNorm(1.0).seededNoiseForTesting(5);
    }

    @Test
    void sendsTheClippedDeltaOfEveryPartUnlessToldOtherwise() {
        ModelState global = state("a", vec(1f), "b", vec(1f), "c", vec(0f));
        ModelState trained = state("a", vec(4f), "b", vec(5f), "c", vec(0f));
        // z = 1e-7: the noise (std 1e-7) is below the tolerance, so the clipped values show.
        Client all = ldp(new FixedClient(trained, PayloadKind.WEIGHTS)).noiseMultiplier(1e-7).build();
        ClientUpdate u = all.fit(global, FIT);
        assertEquals(PayloadKind.DELTA, u.kind());
        assertEquals(0.6, u.part("a").getDouble(0), 1e-6);
        assertEquals(0.8, u.part("b").getDouble(0), 1e-6);
        assertEquals(0.0, u.part("c").getDouble(0), 1e-6);
        // The inner client's un-noised loss stays on the client.
        assertFalse(u.metrics().containsKey("loss"), u.metrics().toString());
        assertEquals(12, all.numExamples());
        assertEquals(4, all.id());

        ModelState trained2 = state("a", vec(4f), "b", vec(5f), "c", vec(7f));
        Client some = ldp(new FixedClient(trained2, PayloadKind.WEIGHTS)).noiseMultiplier(1e-7)
                .sendUnprotected(Set.of("c")).sendInnerMetrics(true).build();
        ClientUpdate v = some.fit(global, FIT);
        assertEquals(0.6, v.part("a").getDouble(0), 1e-6);
        // the part explicitly left unprotected: plain delta
        assertEquals(7.0, v.part("c").getDouble(0), 0);
        assertEquals(0.5, v.metric("loss"));
        assertTrue(all.evaluate(global, null).isEmpty());
    }

    @Test
    void sendsAClippedAndNoisedDeltaWhoseNoiseTheServersSeedDoesNotFix() {
        int n = 200_000;
        ModelState global = state("a", Nd4j.zeros(DataType.FLOAT, n));
        ModelState delta = state("a", Nd4j.ones(DataType.FLOAT, n));
        double s = 1.0;
        double z = 0.5;
        Client c = LocalDpClient.builder(new FixedClient(delta, PayloadKind.DELTA)).clipNorm(s).noiseMultiplier(z)
                .build();
        ClientUpdate u = c.fit(global, FIT);
        assertEquals(PayloadKind.DELTA, u.kind());
        // ‖1‖ = √n, clipped to S: every coordinate is S/√n before the noise
        float clipped = (float) (s / Math.sqrt(n));
        var expected = Nd4j.zeros(DataType.FLOAT, n).addi(clipped);
        assertEquals(z * s, Fixtures.stdOfDifference(u.part("a"), expected), 0.02 * z * s);
        assertEquals(0.0, Fixtures.meanOfDifference(u.part("a"), expected), 5 * z * s / Math.sqrt(n));
        // Same instructions (same server seed), fresh secure noise: the server cannot reproduce and subtract it.
        assertFalse(java.util.Arrays.equals(u.part("a").toFloatVector(), c.fit(global, FIT).part("a").toFloatVector()));
    }

    @Test
    void reportsTheGaussianMechanismsEpsilonWithSensitivityTwoSComposedOverItsRounds() {
        double z = 4.0;
        double delta = 1e-5;
        LocalDpClient c = LocalDpClient.builder(new FixedClient(state("a", vec(1f)), PayloadKind.DELTA)).clipNorm(2)
                .noiseMultiplier(z).delta(delta).build();
        assertEquals(2.0, c.sensitivityNoiseMultiplier(), 0.0);
        // Gaussian RDP with sensitivity 2S and std zS: alpha (2S)^2 / (2 (zS)^2) = 2 alpha / z^2 per round,
        // i.e. the q = 1 accountant at z/2. Three rounds compose to three times that.
        RdpAccountant.PrivacySpent one = new RdpAccountant().steps(1.0, z / 2, 1).epsilon(delta);
        RdpAccountant.PrivacySpent three = new RdpAccountant().steps(1.0, z / 2, 3).epsilon(delta);
        assertEquals(one.epsilon(), c.roundGuarantee().epsilon(), 0.0);
        ModelState global = state("a", vec(0f));
        ClientUpdate u = null;
        for (int r = 0; r < 3; r++) {
            u = c.fit(global, FIT);
        }
        assertEquals(3, c.rounds());
        assertEquals(three.epsilon(), c.spent().epsilon(), 0.0);
        assertEquals(three.epsilon(), u.metric("ldp_epsilon"), 0.0);
        assertEquals(one.epsilon(), u.metric("ldp_round_epsilon"), 0.0);
        assertEquals(delta, u.metric("ldp_delta"), 0.0);
        // Cross-check against the closed form at one order: RDP(alpha = 8) of 3 rounds = 3 * 2 * 8 / 16 = 3.
        RdpAccountant atEight = new RdpAccountant(new double[] {8}, 0).steps(1.0, z / 2, 3);
        assertEquals(3.0, atEight.totalRdp()[0], 1e-12);
        // A test seed the client holds still marks its epsilon as not a guarantee.
        ClientUpdate seeded = ldp(new FixedClient(state("a", vec(1f)), PayloadKind.DELTA)).noiseMultiplier(z).build()
                .fit(global, FIT);
        assertFalse(seeded.metrics().containsKey("ldp_epsilon"));
        assertTrue(seeded.metric("ldp_epsilon_not_a_guarantee") > 0);
    }

    @Test
    void refusesGradientsAndBadSettings() {
        ModelState global = state("a", vec(0f));
        Client grad = ldp(new FixedClient(state("a", vec(1f)), PayloadKind.GRADIENT)).noiseMultiplier(1).build();
        assertThrows(IllegalArgumentException.class, () -> grad.fit(global, FIT));
        Client inner = new FixedClient(state("a", vec(1f)), PayloadKind.DELTA);
        assertThrows(IllegalArgumentException.class, () -> ldp(inner).clipNorm(0).noiseMultiplier(1).build());
        assertThrows(IllegalArgumentException.class, () -> ldp(inner).noiseMultiplier(0).build());
        assertThrows(IllegalArgumentException.class, () -> ldp(inner).noiseMultiplier(1).delta(1).build());
        Client missing = ldp(inner).noiseMultiplier(1).sendUnprotected(Set.of("zzz")).build();
        assertThrows(IllegalArgumentException.class, () -> missing.fit(global, FIT));
        Client nothing = ldp(inner).noiseMultiplier(1).sendUnprotected(Set.of("a")).build();
        assertThrows(IllegalArgumentException.class, () -> nothing.fit(global, FIT));
    }
}
