package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.fedgen.core.RoundResult;
import org.fedgen.core.Server;
import org.fedgen.core.privacy.PrivateOutputs;
import org.fedgen.core.sampling.PoissonSampler;
import org.fedgen.privacy.DpFedAvg;
import org.fedgen.privacy.NoiseMode;
import org.junit.jupiter.api.Test;

/** Central DP on the unmasked sum: what the server adds, to what, and what it refuses. */
class SecureDpTest {
    private static final int N = 5;
    private static final int D = Federation.A + Federation.B;

    private static DpFedAvg dp(double clip, double z, FixedPoint codec) {
        return DpFedAvg.builder().clipNorm(clip).noiseMultiplier(z).noiseMode(NoiseMode.SEEDED)
                .secureSum(1 / (2 * codec.scale())).build();
    }

    /** Every client every round (q = 1), so qW = N. */
    private static Server server(Federation f) {
        return Server.builder().initialState(f.initial).clients(f.proxies).aggregator(f.aggregator).rounds(1).seed(1)
                .sampler(new PoissonSampler(1.0)).privateOutputs(PrivateOutputs.standard()).build();
    }

    @Test
    void noiseOnTheUnmaskedSumHasStdZTimesTheClipNormInflatedByTheRounding() {
        // 8 bits: s = 127, so S' = S + √d/(2s) = 1 + √4000/254 = 1.249, far enough from S = 1 to tell apart.
        SecAggConfig config = new SecAggConfig(3, 8, 1.0, 0, 1.0, 0);
        FixedPoint codec = config.codec();
        Federation f = new Federation(config, N, 0.0, Set.of(), dp(1.0, 1.0, codec));
        Server server = server(f);
        RoundResult r = server.runRound(1);
        double sensitivity = 1.0 + Math.sqrt(D) / (2 * 127.0);
        assertEquals(sensitivity, r.metric("dp_sensitivity"), 1e-12);
        assertEquals(sensitivity / N, r.metric("dp_noise_std"), 1e-12);
        // Zero deltas: the unmasked sum is exactly 0, so N·(change) is the noise itself.
        double[] change = Federation.change(f.initial, server.global());
        double sq = 0;
        for (double c : change) {
            sq += (c * N) * (c * N);
        }
        double std = Math.sqrt(sq / D);
        // Relative standard error of a std from 4000 normals: 1/√8000 = 1.1 %; 5 % is 4.5 of them.
        assertEquals(1.0, std / sensitivity, 0.05, "measured std " + std + ", expected " + sensitivity);
    }

    @Test
    void withoutNoiseTheStepIsTheSumOfClientClippedCodesOverQw() {
        double clip = 5.0;
        SecAggConfig config = new SecAggConfig(3, 16, 1.0, 0, clip, 0);
        FixedPoint codec = config.codec();
        Federation f = new Federation(config, N, 0.9, Set.of(), dp(clip, 0.0, codec));
        Server server = server(f);
        server.runRound(1);
        double[][] clipped = new double[N][];
        for (int k = 0; k < N; k++) {
            double[] x = f.delta(k);
            double norm = Math.sqrt(java.util.Arrays.stream(x).map(v -> v * v).sum());
            double factor = Math.min(1, clip / norm);
            assertTrue(factor < 1, "client " + k + " should be clipped, norm " + norm);
            clipped[k] = java.util.Arrays.stream(x).map(v -> v * factor).toArray();
        }
        double[] change = Federation.change(f.initial, server.global());
        for (int i = 0; i < D; i++) {
            int ring = 0;
            for (int k = 0; k < N; k++) {
                ring += codec.encode(clipped[k][i]);
            }
            float sum = (float) codec.decode(ring);
            assertEquals(sum / (float) N, change[i], 1e-7, "coordinate " + i);
        }
    }

    @Test
    void discreteNoiseIsAnIntegerVectorAddedToTheCodeSumWithVarianceCeilOfZDeltaSquared() {
        double clip = 5.0;
        SecAggConfig config = new SecAggConfig(3, 16, 1.0, 0, clip, 0);
        FixedPoint codec = config.codec();
        DpFedAvg rule = DpFedAvg.builder().clipNorm(clip).noiseMultiplier(1.0).noiseMode(NoiseMode.SEEDED)
                .secureSum(1 / (2 * codec.scale())).discreteNoise(true).build();
        Federation f = new Federation(config, N, 0.9, Set.of(), rule);
        Server server = server(f);
        RoundResult r = server.runRound(1);
        double s = codec.scale();
        // Δ = sS + √d/2 in code units; σ² = ⌈(zΔ)²⌉ with z = 1.
        double delta = s * clip + Math.sqrt(D) / 2;
        long variance = (long) Math.ceil(delta * delta);
        assertEquals(Math.sqrt(variance) / (s * N), r.metric("dp_noise_std"), 1e-9);
        assertEquals(delta / s, r.metric("dp_sensitivity"), 1e-12);
        double[] change = Federation.change(f.initial, server.global());
        long[] codeSum = new long[D];
        for (int k = 0; k < N; k++) {
            double[] x = f.delta(k);
            double factor = Math.min(1, clip / Math.sqrt(java.util.Arrays.stream(x).map(v -> v * v).sum()));
            for (int i = 0; i < D; i++) {
                codeSum[i] += codec.encode(x[i] * factor);
            }
        }
        double sq = 0;
        for (int i = 0; i < D; i++) {
            long codes = codeSum[i];
            double scaled = change[i] * s * N;
            long noisy = Math.round(scaled);
            // The noisy sum is an integer before scaling: float32 rounding of the result is far below 1/2.
            assertEquals(noisy, scaled, 0.05, "coordinate " + i);
            double noise = noisy - codes;
            sq += noise * noise;
        }
        double std = Math.sqrt(sq / D);
        // Relative standard error of a std from 4000 draws: 1.1 %; 5 % is 4.5 of them.
        assertEquals(1.0, std / Math.sqrt(variance), 0.05, "measured std " + std);
    }

    @Test
    void dpFedAvgMustMatchTheQuantiserAndTheClientsClip() {
        SecAggConfig config = new SecAggConfig(3, 16, 1.0, 0, 1.0, 0);
        FixedPoint codec = config.codec();
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> SecureAggregation.of(
                config, DpFedAvg.builder().clipNorm(1).noiseMultiplier(1).build(), N, 1));
        assertTrue(plain.getMessage().contains("secureSum"), plain.getMessage());
        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class, () -> SecureAggregation.of(
                new SecAggConfig(3, 16, 1.0, 0, 2.0, 0), dp(1.0, 1.0, codec), N, 1));
        assertTrue(clip.getMessage().contains("clip norm 1.0"), clip.getMessage());
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class, () -> SecureAggregation.of(
                new SecAggConfig(3, 16, 1.0, 0, 1.0, 40), dp(1.0, 1.0, codec), N, 1));
        assertTrue(cap.getMessage().contains("weight cap 40"), cap.getMessage());
        SecureAggregation.of(config, dp(1.0, 1.0, codec), N, 1);
    }

    @Test
    void aSecureSumDpFedAvgOutsideSecureAggregationIsRefused() {
        // It does not clip: fed raw client updates it would protect nothing.
        Federation f = new Federation(new SecAggConfig(3, 16, 1.0, 0, 1.0, 0), N, 0.9, Set.of(),
                new org.fedgen.core.aggregate.FedAvg());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Server.builder()
                .initialState(f.initial).clients(f.proxies).aggregator(dp(1.0, 1.0, new FixedPoint(16, 1.0)))
                .rounds(1).sampler(new PoissonSampler(1.0)).privateOutputs(PrivateOutputs.standard()).build());
        assertTrue(e.getMessage().contains("must sit under secure aggregation"), e.getMessage());
    }
}
