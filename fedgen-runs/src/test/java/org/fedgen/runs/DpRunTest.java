package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedgen.core.Aggregator;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.data.Dataset;
import org.fedgen.privacy.DpChecks;
import org.fedgen.privacy.DpFedAvg;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** DP settings of a run: the DP policy they build, and what they refuse. */
class DpRunTest {
    private static final int CLIENTS = 20;

    @TempDir
    java.nio.file.Path dir;

    private static RunConfig.Builder run() {
        return RunConfig.builder().clients(CLIENTS);
    }

    private static DpConfig.Builder dp(double noise, Double clip) {
        return DpConfig.builder(noise, clip);
    }

    private static List<Dataset> shards() {
        List<Dataset> s = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            s.add(new Dataset(Nd4j.zeros(DataType.FLOAT, 2, 784), new int[] {0, 1}, new int[] {1, 28, 28}));
        }
        return s;
    }

    private static DpRun dpRun(RunConfig.Builder config) {
        return new DpRun(config.build(), new VaeRecipe(VaeSettings.defaults()), shards());
    }

    private static DpRun dpRun(DpConfig.Builder dp) {
        return dpRun(run().dp(dp.build()));
    }

    @Test
    void decoderOnlyDpKeepsTheEncoderOnTheClients() {
        DpRun run = dpRun(dp(1.1, 0.5).q(0.25).parts(List.of("decoder")).delta(1e-3)
                .conversion(Conversion.CLASSIC));
        PartPolicy policy = assertInstanceOf(PartPolicy.class, run.aggregator(new FedAvg()));
        assertEquals(Set.of("encoder"), policy.localOnly());
        DpFedAvg dp = assertInstanceOf(DpFedAvg.class, policy.routes().get("decoder"));
        assertEquals(0.5, dp.clipNorm());
        assertEquals(1.1, dp.noiseMultiplier());
        assertSame(run.ledger(), dp.ledger());
        assertEquals(1e-3, run.ledger().delta());
        assertEquals(Conversion.CLASSIC, run.ledger().conversion());
    }

    @Test
    void allPartsGoThroughOneDpAggregator() {
        Aggregator a = dpRun(dp(1, 1.0).clientsPerRound(5.0))
                .aggregator(new FedAvg());
        assertEquals(1, DpChecks.dpAggregators(a).size());
        assertTrue(((PartPolicy) a).localOnly().isEmpty());
    }

    @Test
    void withoutDpNoiseTheRunIsUnchanged() {
        FedAvg plain = new FedAvg();
        DpRun run = dpRun(run().clientsPerRound(5));
        assertSame(plain, run.aggregator(plain));
        assertNull(run.ledger());
    }

    @Test
    void fixedSizeSamplingIsRefusedWithoutTheApproximationFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dpRun(run().clientsPerRound(5).dp(dp(1, 1.0).build())));
        assertTrue(e.getMessage().contains("--dp-allow-fixed-size-sampling"), e.getMessage());
        DpRun allowed = dpRun(run().clientsPerRound(5).dp(dp(1, 1.0).allowFixedSizeSampling(true).build()));
        assertEquals(1, DpChecks.dpAggregators(allowed.aggregator(new FedAvg())).size());
    }

    @Test
    void mmdAndOtherAggregatorsAreRefusedInADpRun() {
        IllegalArgumentException mmd = assertThrows(IllegalArgumentException.class,
                () -> dpRun(run().aggregator(AggregatorKind.mmd).dp(dp(1, 1.0).build())));
        assertTrue(mmd.getMessage().contains("MmdAggregator") && mmd.getMessage().contains("'decoder'"),
                mmd.getMessage());
        IllegalArgumentException sgd = assertThrows(IllegalArgumentException.class,
                () -> dpRun(run().aggregator(AggregatorKind.fedsgd).dp(dp(1, 1.0).build())));
        assertTrue(sgd.getMessage().contains("fedsgd"), sgd.getMessage());
    }

    @Test
    void badDpValuesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dpRun(dp(1, null)))
                .getMessage().contains("--dp-clip"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dpRun(dp(1, 1.0).q(1.5))).getMessage()
                .contains("1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dpRun(dp(1, 1.0).parts(List.of("generator"))))
                .getMessage().contains("'generator'"));
    }

    @Test
    void withSecureAggregationDpFedAvgTakesTheSumWithTheQuantisersRounding() {
        SecureAggregationSettings secagg = new SecureAggregationSettings(3, 12, 0.5, 0, 0, null);
        PartPolicy policy = assertInstanceOf(PartPolicy.class, dpRun(run().secureAggregation(secagg)
                .dp(dp(1, 1.0).q(0.5).build())).aggregator(new FedAvg()));
        DpFedAvg dp = assertInstanceOf(DpFedAvg.class, policy.defaultAggregator());
        // s = (2^11 − 1)/0.5 = 4094: each coordinate moves by at most 1/(2s).
        assertEquals(1 / 8188.0, dp.secureSumRounding(), 0.0);
    }

    @Test
    void withSecureAggregationDiscreteNoiseIsAddedToTheCodeSum() {
        SecureAggregationSettings secagg = new SecureAggregationSettings(3, 12, 0.5, 0, 0, null);
        PartPolicy policy = assertInstanceOf(PartPolicy.class, dpRun(run().secureAggregation(secagg)
                .dp(dp(1, 1.0).q(0.5).discreteNoise(true).build())).aggregator(new FedAvg()));
        DpFedAvg dp = assertInstanceOf(DpFedAvg.class, policy.defaultAggregator());
        assertTrue(dp.discreteNoise() && dp.secureSum(), dp.toString());
        assertEquals(1 / 8188.0, dp.secureSumRounding(), 0.0);
    }

    /** The whole run path: the privacy check at server build sees DP-FedAvg under secure aggregation's decorator. */
    @ParameterizedTest(name = "discrete noise {0}")
    @ValueSource(booleans = {false, true})
    void secureAggregationWithDpTrainsThroughTheRunPathAndChargesTheLedger(boolean discrete) throws Exception {
        RunConfig o = RunConfig.builder().model(new VaeSettings(org.fedgen.models.vae.VaeConfig.builder().hiddenDim(8).latentDim(2).build())).clients(3)
                .partition(PartitionKind.iid).rounds(2).localSteps(1).batchSize(8).workers(1).evalEvery(2)
                .qualitySamples(0).samples(0).out(dir.resolve("secagg-dp-" + discrete))
                .secureAggregation(SecureAggregationSettings.defaults())
                .dp(dp(1.0, 0.1).q(1.0).discreteNoise(discrete).build()).build();
        List<Double> epsilon = new ArrayList<>();
        List<Double> sensitivity = new ArrayList<>();
        new FederatedRun(o, r -> {
            epsilon.add(r.metric("epsilon"));
            sensitivity.add(r.metric("dp_sensitivity"));
        }).run();
        // Only DP-FedAvg over a secure sum reports a sensitivity: the clip norm plus the codes' rounding.
        assertTrue(sensitivity.get(0) > 0.1 && sensitivity.get(0) < 0.2, "sensitivity " + sensitivity);
        assertTrue(epsilon.get(0) > 0 && epsilon.get(1) > epsilon.get(0), "epsilon per round " + epsilon);
    }

    @Test
    void secureAggregationWithDpRefusesWhatTheClientsCannotDoBeforeMasking() {
        SecureAggregationSettings secagg = SecureAggregationSettings.defaults();
        IllegalArgumentException adaptive = assertThrows(IllegalArgumentException.class, () -> run()
                .secureAggregation(secagg).dp(dp(1, 1.0).q(0.5).adaptiveClip(true).build()).build());
        assertTrue(adaptive.getMessage().contains("--dp-adaptive-clip"), adaptive.getMessage());
        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class, () -> run()
                .secureAggregation(new SecureAggregationSettings(null, 16, 1.0, 0, 2.0, null))
                .dp(dp(1, 1.0).q(0.5).build()).build());
        assertTrue(clip.getMessage().contains("--secagg-clip"), clip.getMessage());
        run().secureAggregation(secagg).dp(dp(1, 1.0).q(0.5).build()).build();
    }
}
