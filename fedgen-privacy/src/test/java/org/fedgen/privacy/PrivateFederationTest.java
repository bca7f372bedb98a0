package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundResult;
import org.fedgen.core.aggregate.MmdAggregator;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.privacy.PrivateOutputs;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sampling.PoissonSampler;
import org.fedgen.core.sim.Simulation;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecureAggregation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The one-call DP setup through the library API: what a private run publishes, logs, charges and refuses. */
class PrivateFederationTest {
    /** Shard sizes no public setting of the run equals, so finding one in the outputs means a leak. */
    private static final int[] SIZES = {37, 41, 43, 47, 53, 59, 61, 67};
    private static final double Z = 1.3;
    private static final double DELTA = 1e-3;

    private static List<Dataset> shards() {
        List<Dataset> out = new ArrayList<>();
        for (int n : SIZES) {
            out.add(Dataset.unlabelled(Nd4j.zeros(DataType.FLOAT, n, 2)));
        }
        return out;
    }

    private static Simulation.Builder simulation(int rounds) {
        return Simulation.builder().model(ShiftModel::new).clientData(shards()).clientEvalData(shards()).rounds(rounds)
                .seed(3);
    }

    private static DpSettings.Builder settings() {
        return DpSettings.builder().noiseMultiplier(Z).clipNorm(0.05).delta(DELTA).samplingRate(0.5);
    }

    private static List<RoundResult> run(Simulation.Builder b) {
        List<RoundResult> results = new ArrayList<>();
        try (Simulation sim = b.listener(results::add).build()) {
            sim.run();
        }
        return results;
    }

    @Test
    void aPrivateRunPublishesAndLogsNoClientDerivedValue() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        List<RoundResult> results;
        // slf4j-simple writes to System.err: capture it to read the log.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            PrivateFederation dp = PrivateFederation.of(settings().build(), SIZES.length);
            results = run(dp.applyTo(simulation(3)));
        } finally {
            System.setErr(err);
        }
        assertEquals(3, results.size());
        Set<String> allowed = Set.of("round", "dp_clip_norm", "dp_noise_std", "epsilon", "dp_order", "dp_delta",
                "dp_q");
        for (RoundResult r : results) {
            assertTrue(allowed.containsAll(r.metrics().keySet()), "published " + r.metrics().keySet());
            assertTrue(r.rejections().isEmpty());
            for (double v : r.metrics().values()) {
                assertTrue(v != ShiftModel.LOSS, "the clients' loss was published: " + r.metrics());
                for (int n : SIZES) {
                    assertTrue(v != n, "a shard size was published: " + r.metrics());
                }
            }
            assertEquals(new RdpAccountant().steps(0.5, Z, r.round()).epsilon(DELTA).epsilon(),
                    r.metric("epsilon"), 0.0);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("round 3/3"), text);
        assertFalse(text.contains("0.9876") || text.contains("client_loss") || text.contains("accepted"), text);
        for (int n : SIZES) {
            assertFalse(text.matches("(?s).*\\b" + n + "\\b.*"), "log shows shard size " + n + ":\n" + text);
        }
    }

    @Test
    void aNonPrivateRunStillPublishesClientMetrics() {
        List<RoundResult> results = run(simulation(1).aggregator(new org.fedgen.core.aggregate.FedAvg())
                .federatedEvaluation(1));
        assertEquals(ShiftModel.LOSS, results.get(0).metric("client_loss"), 1e-12);
        assertTrue(results.get(0).metrics().containsKey("fed_loss"));
        assertTrue(results.get(0).metrics().containsKey("examples"));
    }

    @Test
    void dpFedAvgInASetupThatBreaksTheGuaranteeFailsWhenTheSimulationIsBuilt() {
        DpFedAvg dp = DpFedAvg.builder().clipNorm(1).noiseMultiplier(1).ledger(PrivacyLedger.forPopulation(8, DELTA))
                .build();
        PrivateOutputs priv = PrivateOutputs.standard();
        // Publishing every metric.
        assertRefused("private outputs", simulation(1).aggregator(dp).sampler(new PoissonSampler(0.5)));
        // Fixed-size sampling without accepting the approximation.
        assertRefused("Poisson", simulation(1).aggregator(dp).sampler(FixedSizeSampler.count(3)).privateOutputs(priv));
        // Federated evaluation on the clients' data.
        assertRefused("federated evaluation", simulation(1).aggregator(dp).sampler(new PoissonSampler(0.5))
                .privateOutputs(priv).federatedEvaluation(1));
        // A rule that reads individual updates on a sent part, and a sent part outside DP-FedAvg.
        assertRefused("MmdAggregator", simulation(1).aggregator(PartPolicy.builder().route(new MmdAggregator(),
                "decoder").otherwise(dp).build()).sampler(new PoissonSampler(0.5)).privateOutputs(priv));
        assertRefused("'encoder'", simulation(1).aggregator(PartPolicy.builder().route(dp, "decoder")
                .otherwise(new org.fedgen.core.aggregate.FedAvg()).build()).sampler(new PoissonSampler(0.5))
                .privateOutputs(priv));
        // The same pieces in a setup that keeps the guarantee build and run.
        assertEquals(1, run(simulation(1).aggregator(PartPolicy.builder().route(dp, "decoder").localOnly("encoder")
                .build()).sampler(new PoissonSampler(0.5)).privateOutputs(priv)).size());
    }

    private static void assertRefused(String expectedInMessage, Simulation.Builder b) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void protectedPartsGoToDpFedAvgAndTheRestStaysOnTheClients() {
        PrivateFederation dp = PrivateFederation.of(settings().protectedParts(Set.of("decoder")).build(),
                SIZES.length);
        PartPolicy policy = dp.policy(Set.of("encoder", "decoder"), null);
        assertEquals(Set.of("encoder"), policy.localOnly());
        assertEquals(List.of(dp.dpFedAvg()), DpChecks.dpAggregators(policy));
        assertEquals(3, run(dp.applyTo(simulation(3), policy)).size());
        assertEquals(3, dp.ledger().rounds());
        assertThrows(IllegalArgumentException.class, () -> dp.applyTo(simulation(1)));
        assertThrows(IllegalArgumentException.class, () -> dp.policy(Set.of("encoder"), null));
    }

    @Test
    void twoDpMechanismsInOneRoundAreChargedAsOneGaussianWithTheComposedMultiplier() {
        PrivacyLedger ledger = PrivacyLedger.forPopulation(SIZES.length, DELTA);
        double z1 = 1.0;
        double z2 = 2.0;
        DpFedAvg enc = DpFedAvg.builder().clipNorm(1).noiseMultiplier(z1).ledger(ledger).build();
        DpFedAvg dec = DpFedAvg.builder().clipNorm(1).noiseMultiplier(z2).ledger(ledger).build();
        List<RoundResult> results = run(simulation(4).aggregator(PartPolicy.builder().route(enc, "encoder")
                .route(dec, "decoder").build()).sampler(new PoissonSampler(0.5))
                .privateOutputs(PrivateOutputs.standard()));
        // z^-2 = 1 + 1/4: z = 2/sqrt(5).
        double z = 2 / Math.sqrt(5);
        assertEquals(z, PrivacyLedger.composedNoiseMultiplier(List.of(z1, z2)), 1e-15);
        for (RoundResult r : results) {
            assertEquals(new RdpAccountant().steps(0.5, z, r.round()).epsilon(DELTA).epsilon(), r.metric("epsilon"),
                    1e-9, "round " + r.round());
        }
        assertEquals(4, ledger.rounds());
    }

    @Test
    void epsilonUnderABrokenAssumptionIsPublishedAsNotAGuarantee() {
        for (DpSettings s : List.of(settings().seededSampling(true).build(),
                settings().noiseMode(NoiseMode.SEEDED).build(),
                DpSettings.builder().noiseMultiplier(Z).clipNorm(0.05).delta(DELTA).fixedClientsPerRound(4).build())) {
            PrivateFederation dp = PrivateFederation.of(s, SIZES.length);
            RoundResult r = run(dp.applyTo(simulation(1))).get(0);
            assertFalse(r.metrics().containsKey("epsilon"), r.metrics().toString());
            assertTrue(r.metric(PrivacyLedger.UNPROVEN_EPSILON) > 0, r.metrics().toString());
            assertFalse(dp.ledger().isGuarantee());
            assertTrue(dp.ledger().describeSpent().contains("NOT A GUARANTEE"), dp.ledger().describeSpent());
        }
        PrivateFederation secure = PrivateFederation.of(settings().build(), SIZES.length);
        run(secure.applyTo(simulation(1)));
        assertTrue(secure.ledger().isGuarantee(), secure.ledger().caveats().toString());
    }

    @Test
    void discreteNoiseIsAGuaranteeOnlyWithoutSubsampling() {
        PrivateFederation full = PrivateFederation.of(settings().discreteNoise(true).samplingRate(1.0).build(),
                SIZES.length);
        run(full.applyTo(simulation(1)));
        assertTrue(full.ledger().isGuarantee(), full.ledger().caveats().toString());
        PrivateFederation sampled = PrivateFederation.of(settings().discreteNoise(true).samplingRate(0.5).build(),
                SIZES.length);
        RoundResult r = run(sampled.applyTo(simulation(1))).get(0);
        assertFalse(sampled.ledger().isGuarantee());
        assertFalse(r.metrics().containsKey("epsilon"), r.metrics().toString());
        assertTrue(sampled.ledger().caveats().toString().contains("discrete Gaussian noise with client subsampling"),
                sampled.ledger().caveats().toString());
    }

    @Test
    void settingsRefuseValuesWithoutPrivacyOrMeaning() {
        for (double z : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DpSettings.builder().noiseMultiplier(z).clipNorm(1).build());
            assertTrue(e.getMessage().contains(String.valueOf(z)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> settings().samplingRate(0).build());
        assertThrows(IllegalArgumentException.class, () -> settings().samplingRate(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> settings().delta(1).build());
        assertThrows(IllegalArgumentException.class, () -> settings().clipNorm(0).build());
        assertThrows(IllegalArgumentException.class, () -> settings().expectedClientsPerRound(2).build());
        assertThrows(IllegalArgumentException.class,
                () -> PrivateFederation.of(settings().samplingRate(Double.NaN).expectedClientsPerRound(9).build(), 8));
    }

    /** q = 1: every client every round, so no round can fall below the secure-aggregation threshold. */
    private static DpSettings.Builder secureSettings() {
        return settings().samplingRate(1.0).noiseMode(NoiseMode.SEEDED);
    }

    /** DP with secure aggregation: the same ledger and the same private outputs as plain DP-FedAvg. */
    @Test
    void withSecureAggregationTheLedgerChargesAsPlainDpFedAvgAndOnlyPrivateOutputsArePublished() {
        PrivateFederation plain = PrivateFederation.of(secureSettings().build(), SIZES.length);
        List<RoundResult> p = run(plain.applyTo(simulation(4)));

        SecAggConfig config = new SecAggConfig(5, 16, 1.0, 0, 0.05, 0);
        double rounding = 1 / (2 * config.codec().scale());
        PrivateFederation dp = PrivateFederation.of(secureSettings().secureSum(rounding).build(), SIZES.length);
        SecureAggregation secagg = SecureAggregation.of(config, dp.aggregator(), SIZES.length, 3);
        List<RoundResult> s = run(dp.applyTo(simulation(4).clientLayer(secagg.clientLayer()), secagg.aggregator()));

        assertEquals(4, s.size());
        // Seeded noise (for a repeatable test) makes ε a number that is not a guarantee, published under its own name.
        String eps = dp.ledger().epsilonMetricName();
        assertEquals(plain.ledger().epsilonMetricName(), eps);
        Set<String> allowed = Set.of("round", "dp_clip_norm", "dp_sensitivity", "dp_noise_std", eps, "dp_order",
                "dp_delta", "dp_q");
        for (int r = 0; r < 4; r++) {
            assertEquals(new RdpAccountant().steps(1.0, Z, r + 1).epsilon(DELTA).epsilon(), s.get(r).metric(eps), 0.0,
                    "round " + (r + 1) + ": " + s.get(r).metrics());
            assertEquals(p.get(r).metric(eps), s.get(r).metric(eps), 0.0);
            assertTrue(allowed.containsAll(s.get(r).metrics().keySet()), "published " + s.get(r).metrics().keySet());
            assertTrue(s.get(r).metrics().containsKey("dp_sensitivity"));
            for (double v : s.get(r).metrics().values()) {
                assertTrue(v != ShiftModel.LOSS, "the clients' loss was published");
                for (int n : SIZES) {
                    assertTrue(v != n, "a shard size was published: " + s.get(r).metrics());
                }
            }
        }
        assertEquals(plain.ledger().spent().epsilon(), dp.ledger().spent().epsilon(), 0.0);
        assertEquals(4, dp.ledger().rounds());
    }
}
