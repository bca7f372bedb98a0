package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedgen.core.RoundResult;
import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.privacy.RdpAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Record-level DP runs through the library API: what they publish, how they account, what they refuse. */
class RecordDpRunTest {
    @TempDir
    Path dir;

    private RunConfig.Builder tiny(ModelSettings model, String name) {
        return RunConfig.builder().model(model).clients(2).partition(PartitionKind.iid).rounds(2).localSteps(2)
                .batchSize(16).workers(1).evalEvery(1).qualitySamples(0).samples(0).out(dir.resolve(name));
    }

    private static DpConfig.Builder record(double sigma, double clip) {
        return DpConfig.builder(sigma, clip).unit(DpUnit.record);
    }

    /**
     * Two clients, two rounds of two DP-SGD steps each: every client's published ε is the accountant's ε of 4
     * subsampled Gaussian steps (q_k = 16/n_k, σ = 1.2) — recomputed here from the clients' record counts — the
     * maximum is the larger one, and nothing client-derived (client losses, counts) is published.
     */
    @Test
    void vaeRunPublishesEachClientsRecordEpsilonAndTheMaximumOnly() throws Exception {
        List<RoundResult> seen = new ArrayList<>();
        RunConfig o = tiny(VaeSettings.defaults(), "vae").dp(record(1.2, 1.0).build()).build();
        Path out = new FederatedRun(o, seen::add).run();
        assertEquals(2, seen.size());
        RoundResult r = seen.get(1);
        List<org.fedgen.core.data.Dataset> shards = FederatedRun.setup(o).shards();
        double max = 0;
        for (int k = 0; k < 2; k++) {
            double q = 16.0 / shards.get(k).size();
            double expected = new RdpAccountant().steps(q, 1.2, 4).epsilon(1e-5).epsilon();
            assertEquals(expected, r.metric("record_epsilon_" + k), 1e-12, r.metrics().toString());
            max = Math.max(max, expected);
        }
        assertEquals(max, r.metric("record_epsilon_max"), 1e-12);
        assertFalse(r.metrics().containsKey("client_loss"), r.metrics().toString());
        assertFalse(r.metrics().containsKey("accepted"), r.metrics().toString());
        assertTrue(Double.isFinite(r.metric("elbo")), r.metrics().toString());
        String header = Files.readAllLines(out.resolve("metrics.csv")).get(0);
        assertTrue(header.contains("record_epsilon_max") && header.contains("record_epsilon_1"), header);
    }

    /** The GAN (discriminator DP, both FL-GAN and DP-FedAvg-GAN) and the DDPM train a round under record-level DP. */
    @ParameterizedTest
    @ValueSource(strings = {"flgan", "dpfedavg-gan", "ddpm"})
    void ganAndDdpmTrainUnderRecordLevelDp(String kind) {
        ModelSettings m = kind.equals("ddpm") ? DdpmSettings.builder().timesteps(50).ddimSteps(5).build()
                : GanSettings.builder().topology(kind.equals("flgan") ? GanTopology.FLGAN : GanTopology.DPFEDAVG_GAN)
                .loss(GanLoss.WGAN_GP).criticSteps(2).generatorSteps(1).build();
        List<RoundResult> seen = new ArrayList<>();
        new FederatedRun(tiny(m, kind).rounds(1).dp(record(1.0, 1.0).seededSampling(true).build()).build(),
                seen::add).run();
        RoundResult r = seen.get(0);
        double eps = r.metric("record_epsilon_max_not_a_guarantee");
        assertTrue(eps > 0 && Double.isFinite(eps), r.metrics().toString());
        assertFalse(r.metrics().containsKey("record_epsilon_max"), "seeded sampling is not a guarantee");
    }

    /**
     * The target is the larger client's ε after exactly 3 rounds (computed here from the record counts): the budget
     * admits rounds 1–3 and stops before round 4 of 10.
     */
    @Test
    void budgetStopsTheRunOnTheMaximumClientEpsilon() {
        RunConfig.Builder b = tiny(VaeSettings.defaults(), "budget").rounds(10).localSteps(1).evalEvery(100);
        List<org.fedgen.core.data.Dataset> shards = FederatedRun.setup(b.build()).shards();
        double target = 0;
        for (var s : shards) {
            target = Math.max(target, new RdpAccountant().steps(16.0 / s.size(), 1.0, 3).epsilon(1e-5).epsilon());
        }
        List<RoundResult> seen = new ArrayList<>();
        new FederatedRun(b.dp(record(1.0, 1.0).targetEpsilon(target * (1 + 1e-9)).build()).build(), seen::add)
                .run();
        assertEquals(3, seen.size());
        assertEquals(target, seen.get(2).metric("record_epsilon_max"), 1e-9 * target);
    }

    @Test
    void unsupportedCombinationsAreRefusedNamingTheOption() {
        assertRefused(tiny(VaeSettings.defaults(), "a").dp(record(1, 1).fixedSizeBatches(true).build()),
                "--dp-allow-fixed-size-sampling");
        assertRefused(tiny(VaeSettings.defaults(), "b").dp(record(1, 1).q(0.5).build()), "--dp-q configures");
        assertRefused(tiny(VaeSettings.defaults(), "c").aggregator(AggregatorKind.fedsgd).dp(record(1, 1).build()),
                "--aggregator fedsgd");
        assertRefused(tiny(GanSettings.builder().topology(GanTopology.IFLGAN).build(), "d")
                .dp(record(1, 1).build()), "--topology iflgan");
        assertRefused(tiny(DdpmSettings.builder().denoiser(DdpmSettings.DenoiserKind.unet).build(), "e")
                .dp(record(1, 1).build()), "--denoiser unet");
    }

    private void assertRefused(RunConfig.Builder b, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FederatedRun(b.build()).run());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Record-level DP-SGD (σ = 1.2, C = 1) under client-level DP-FedAvg (z = 1.1, S = 0.01, every client each round). */
    private static DpConfig.Builder both() {
        return DpConfig.builder(1.1, 0.01).unit(DpUnit.both).recordNoise(1.2).recordClip(1.0);
    }

    /**
     * Both units in one run: the client-level ε (published as {@code client_epsilon}) is an accountant's ε of r
     * rounds of (q = 1, z = 1.1) and each client's record-level ε that of r · 2 DP-SGD steps (q_k = 16/n_k, σ = 1.2),
     * equal to the double; the unprefixed client-level names are not published.
     */
    @Test
    void bothUnitsPublishEachGuaranteeWithItsUnitExactly() {
        List<RoundResult> seen = new ArrayList<>();
        RunConfig o = tiny(VaeSettings.defaults(), "both").evalEvery(100).dp(both().build()).build();
        new FederatedRun(o, seen::add).run();
        assertEquals(2, seen.size());
        List<org.fedgen.core.data.Dataset> shards = FederatedRun.setup(o).shards();
        RdpAccountant client = new RdpAccountant(RdpAccountant.defaultOrders(), 2);
        RdpAccountant[] record = {new RdpAccountant(), new RdpAccountant()};
        for (int r = 0; r < 2; r++) {
            RoundResult row = seen.get(r);
            client.step(1.0, 1.1);
            assertEquals(client.epsilon(1e-5).epsilon(), row.metric("client_epsilon"), 0.0, row.metrics().toString());
            assertEquals(client.epsilon(1e-5).order(), row.metric("client_dp_order"), 0.0);
            assertEquals(1.0, row.metric("client_dp_q"), 0.0);
            double max = 0;
            for (int k = 0; k < 2; k++) {
                record[k].steps(16.0 / shards.get(k).size(), 1.2, 2);
                double eps = record[k].epsilon(1e-5).epsilon();
                assertEquals(eps, row.metric("record_epsilon_" + k), 0.0, "round " + (r + 1) + ", client " + k);
                max = Math.max(max, eps);
            }
            assertEquals(max, row.metric("record_epsilon_max"), 0.0);
            assertEquals(1.2, row.metric("record_sigma"), 0.0);
            assertFalse(row.metrics().containsKey("epsilon") || row.metrics().containsKey("dp_order"),
                    row.metrics().toString());
            assertFalse(row.metrics().containsKey("client_loss"), row.metrics().toString());
        }
    }

    /**
     * With both units the run stops on either budget: the one given is the ε of that unit after exactly 2 rounds, so
     * a run of 5 rounds ends after 2. Seeded noise and sampling label both ε's as not a guarantee.
     */
    @ParameterizedTest
    @ValueSource(strings = {"client", "record"})
    void withBothUnitsEitherBudgetStopsTheRun(String unit) {
        RunConfig.Builder b = tiny(VaeSettings.defaults(), "budget-" + unit).rounds(5).localSteps(1).evalEvery(100);
        List<org.fedgen.core.data.Dataset> shards = FederatedRun.setup(b.build()).shards();
        DpConfig.Builder d = both().seededNoise(true).seededSampling(true);
        if (unit.equals("client")) {
            d.targetEpsilon(new RdpAccountant().steps(1.0, 1.1, 2).epsilon(1e-5).epsilon() * (1 + 1e-9));
        } else {
            double target = 0;
            for (var s : shards) {
                target = Math.max(target, new RdpAccountant().steps(16.0 / s.size(), 1.2, 2).epsilon(1e-5)
                        .epsilon());
            }
            d.recordTargetEpsilon(target * (1 + 1e-9));
        }
        List<RoundResult> seen = new ArrayList<>();
        new FederatedRun(b.dp(d.build()).build(), seen::add).run();
        assertEquals(2, seen.size());
        RoundResult last = seen.get(1);
        assertTrue(Double.isFinite(last.metric("client_epsilon_not_a_guarantee"))
                && Double.isFinite(last.metric("record_epsilon_max_not_a_guarantee")), last.metrics().toString());
        assertFalse(last.metrics().containsKey("client_epsilon") || last.metrics().containsKey("record_epsilon_max"),
                last.metrics().toString());
    }

    @Test
    void combinationsThatStayUnsupportedAreRefusedNamingTheOption() {
        assertRefused(tiny(VaeSettings.defaults(), "f").dp(both().parts(List.of("decoder")).build()),
                "--dp-parts decoder cannot be combined with --dp-unit both");
        assertRefused(tiny(VaeSettings.defaults(), "g").secureAggregation(new SecureAggregationSettings(2, 16, 1.0,
                0, 0, null)).dp(both().build()), "secure aggregation is not supported with --dp-unit both");
        assertRefused(tiny(VaeSettings.defaults(), "h").dp(DpConfig.builder(1.1, 0.01).unit(DpUnit.both)
                .recordClip(1.0).build()), "--dp-unit both needs --dp-record-noise");
        assertRefused(tiny(VaeSettings.defaults(), "i").dp(DpConfig.builder(1.1, 0.01).unit(DpUnit.both)
                .recordNoise(1.0).build()), "--dp-record-clip C (the per-example clip norm) is required");
        assertRefused(tiny(VaeSettings.defaults(), "j").dp(record(1, 1).recordNoise(1.0).build()),
                "need --dp-unit both; got --dp-unit record");
        assertRefused(tiny(VaeSettings.defaults(), "k").aggregator(AggregatorKind.fedprox).dp(both().build()),
                "--aggregator fedprox cannot be combined with --dp-noise");
    }
}
