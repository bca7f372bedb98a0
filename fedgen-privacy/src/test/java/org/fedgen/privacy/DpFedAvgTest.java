package org.fedgen.privacy;

import static org.fedgen.privacy.Fixtures.context;
import static org.fedgen.privacy.Fixtures.state;
import static org.fedgen.privacy.Fixtures.update;
import static org.fedgen.privacy.Fixtures.vec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DpFedAvgTest {

    private static DpFedAvg noiseless(double clip) {
        return DpFedAvg.builder().clipNorm(clip).noiseMultiplier(0).noiseMode(NoiseMode.SEEDED).build();
    }

    @Test
    void clipsTheDeltaOverAllPartsToExactlyS() {
        // Δ = (3, 4) across parts a and b, ‖Δ‖ = 5, S = 1 -> (0.6, 0.8); one expected client.
        ModelState global = state("a", vec(1f), "b", vec(1f));
        List<ClientUpdate> ups = List.of(update(7, 10, PayloadKind.WEIGHTS, "a", vec(4f), "b", vec(5f)));
        RoundContext ctx = context(1, 1.0);
        ModelState next = noiseless(1.0).aggregate(global, ups, ctx);
        double da = next.part("a").getDouble(0) - 1;
        double db = next.part("b").getDouble(0) - 1;
        assertEquals(0.6, da, 1e-6);
        assertEquals(0.8, db, 1e-6);
        assertEquals(1.0, Math.hypot(da, db), 1e-6);
        assertEquals(1.0, ctx.metrics().get("dp_clipped_fraction"));
        assertEquals(1.0, ctx.metrics().get("dp_clip_norm"));
    }

    @Test
    void anUpdateInsideTheBallIsUnchanged() {
        ModelState global = state("a", vec(0.5f, -2f));
        List<ClientUpdate> ups = List.of(update(1, 3, PayloadKind.DELTA, "a", vec(0.3f, 0.4f)));
        RoundContext ctx = context(1, 1.0);
        ModelState next = noiseless(1.0).aggregate(global, ups, ctx);
        assertArrayEquals(new float[] {0.5f + 0.3f, -2f + 0.4f}, next.part("a").toFloatVector(), 0f);
        assertEquals(0.0, ctx.metrics().get("dp_clipped_fraction"));
    }

    @Test
    void sumIsDividedByTheFixedDenominatorNotTheNumberOfClients() {
        ModelState global = state("a", vec(0f, 0f));
        List<ClientUpdate> ups = List.of(update(1, 3, PayloadKind.DELTA, "a", vec(0.2f, 0f)),
                update(2, 3, PayloadKind.DELTA, "a", vec(0f, 0.4f)));
        // qW = 4 although only 2 clients arrived.
        ModelState next = noiseless(10).aggregate(global, ups, context(1, 4.0));
        assertArrayEquals(new float[] {0.05f, 0.1f}, next.part("a").toFloatVector(), 1e-7f);
    }

    @Test
    void cappedWeightsScaleSmallClientsAndNeverExceedOne() {
        ModelState global = state("a", vec(0f));
        List<ClientUpdate> ups = List.of(update(1, 5, PayloadKind.DELTA, "a", vec(0.4f)),
                update(2, 40, PayloadKind.DELTA, "a", vec(0.2f)));
        DpFedAvg dp = DpFedAvg.builder().clipNorm(1).noiseMultiplier(0).cappedWeights(10)
                .noiseMode(NoiseMode.SEEDED).build();
        // w = min(5/10, 1) = 0.5 and min(40/10, 1) = 1: (0.5·0.4 + 1·0.2) / 2 = 0.2
        assertEquals(0.2, dp.aggregate(global, ups, context(1, 2.0)).part("a").getDouble(0), 1e-7);
    }

    @Test
    void noiseStdOnTheAverageIsZSOverQWOnAMillionCoordinates() {
        int na = 600_000;
        int nb = 400_000;
        ModelState global = state("a", Nd4j.zeros(DataType.FLOAT, na).addi(0.25),
                "b", Nd4j.zeros(DataType.FLOAT, nb));
        List<ClientUpdate> zeros = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            zeros.add(update(k, 10, PayloadKind.DELTA, "a", Nd4j.zeros(DataType.FLOAT, na),
                    "b", Nd4j.zeros(DataType.FLOAT, nb)));
        }
        double z = 1.2;
        double s = 0.5;
        double qw = 4;
        DpFedAvg dp = DpFedAvg.builder().clipNorm(s).noiseMultiplier(z).noiseMode(NoiseMode.SEEDED).build();
        RoundContext ctx = context(42, qw);
        ModelState next = dp.aggregate(global, zeros, ctx);
        INDArray noise = Nd4j.concat(0, next.part("a").sub(0.25), next.part("b"));
        INDArray zero = Nd4j.zeros(DataType.FLOAT, na + nb);
        double expected = z * s / qw;
        assertEquals(expected, Fixtures.stdOfDifference(noise, zero), 0.02 * expected);
        assertEquals(0.0, Fixtures.meanOfDifference(noise, zero), 5 * expected / Math.sqrt(na + nb));
        assertEquals(expected, ctx.metrics().get("dp_noise_std"), 1e-15);
    }

    @Test
    void noiseIsAddedEvenWhenNoUpdateArrives() {
        ModelState global = state("a", Nd4j.zeros(DataType.FLOAT, 20_000));
        DpFedAvg dp = DpFedAvg.builder().clipNorm(2).noiseMultiplier(1).noiseMode(NoiseMode.SEEDED).build();
        ModelState next = dp.aggregate(global, List.of(), context(3, 5));
        assertEquals(2.0 / 5, Fixtures.stdOfDifference(next.part("a"), global.part("a")), 0.05 * 2.0 / 5);
    }

    @Test
    void seededNoiseIsReproducibleAndSecureNoiseIsNot() {
        ModelState global = state("a", Nd4j.zeros(DataType.FLOAT, 1000));
        DpFedAvg seeded = DpFedAvg.builder().clipNorm(1).noiseMultiplier(1).noiseMode(NoiseMode.SEEDED).build();
        assertTrue(seeded.aggregate(global, List.of(), context(9, 2)).withRound(0)
                .bitEquals(seeded.aggregate(global, List.of(), context(9, 2))));
        assertFalse(seeded.aggregate(global, List.of(), context(9, 2))
                .bitEquals(seeded.aggregate(global, List.of(), context(10, 2))));
        DpFedAvg secure = DpFedAvg.builder().clipNorm(1).noiseMultiplier(1).build();
        assertEquals(NoiseMode.SECURE, secure.noiseMode());
        assertFalse(secure.aggregate(global, List.of(), context(9, 2))
                .bitEquals(secure.aggregate(global, List.of(), context(9, 2))));
    }

    @Test
    void refusesSampleCountWeightsGradientsAndBadSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DpFedAvg.builder()
                .clipNorm(1).noiseMultiplier(1).weighting(ClientWeighting.SAMPLE_COUNT).build());
        assertTrue(e.getMessage().contains("sample count"));
        assertThrows(IllegalArgumentException.class, () -> DpFedAvg.builder().clipNorm(0).noiseMultiplier(1).build());
        assertThrows(IllegalArgumentException.class, () -> DpFedAvg.builder().clipNorm(1).build());
        assertThrows(IllegalArgumentException.class, () -> DpFedAvg.builder().clipNorm(1).noiseMultiplier(1)
                .cappedWeights(0).build());
        ModelState global = state("a", vec(0f));
        List<ClientUpdate> grad = List.of(update(1, 1, PayloadKind.GRADIENT, "a", vec(1f)));
        assertThrows(IllegalArgumentException.class, () -> noiseless(1).aggregate(global, grad, context(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> noiseless(1).aggregate(global, List.of(),
                context(1, 0)));
    }

    @Test
    void adaptiveClippingUsesTheReducedUpdateNoiseAndCheckpointsTheClipNorm() {
        // m = 100 -> sigma_b = 5; z = 1 -> z_Δ = (1 − 1/100)^(−1/2)
        AdaptiveClipping ac = AdaptiveClipping.withDefaults(1.0, 100);
        DpFedAvg dp = DpFedAvg.builder().noiseMultiplier(1).adaptiveClipping(ac).noiseMode(NoiseMode.SEEDED)
                .build();
        assertEquals(1 / Math.sqrt(1 - 1.0 / 100), dp.updateNoiseMultiplier(), 1e-15);
        assertEquals(1.0, dp.noiseMultiplier());
        ModelState global = state("a", vec(0f, 0f));
        List<ClientUpdate> ups = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            ups.add(update(k, 1, PayloadKind.DELTA, "a", vec(3f, 4f)));
        }
        RoundContext ctx = context(5, 100);
        dp.aggregate(global, ups, ctx);
        // every norm (5) exceeds C = 1: b̄ ≈ 0, so C grows by about exp(0.1)
        assertEquals(Math.exp(-0.2 * (ctx.metrics().get("dp_unclipped_estimate") - 0.5)), dp.clipNorm(), 1e-12);
        assertTrue(dp.clipNorm() > 1.05);
        Map<String, INDArray> saved = dp.state();
        DpFedAvg restored = DpFedAvg.builder().noiseMultiplier(1).noiseMode(NoiseMode.SEEDED)
                .adaptiveClipping(AdaptiveClipping.withDefaults(1.0, 100)).build();
        restored.restoreState(saved);
        assertEquals(dp.clipNorm(), restored.clipNorm(), 0);
        // the count noise alone would cost more than z: sigma_b = 0.5, 2 sigma_b = 1 = z
        assertThrows(IllegalArgumentException.class, () -> DpFedAvg.builder().noiseMultiplier(1)
                .adaptiveClipping(AdaptiveClipping.withDefaults(1.0, 10)).build());
    }
}
