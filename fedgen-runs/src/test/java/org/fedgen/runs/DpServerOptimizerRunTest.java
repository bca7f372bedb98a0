package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.vae.VaeConfig;
import org.fedgen.privacy.DpFedAvg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code --server-opt adam|yogi} in a client-level DP run: the aggregator it builds, what it refuses, resuming. */
class DpServerOptimizerRunTest {
    private static final int CLIENTS = 20;
    private static final VaeSettings TINY_VAE = new VaeSettings(VaeConfig.builder().hiddenDim(8).latentDim(2).build());

    @TempDir
    Path dir;

    private static List<Dataset> shards() {
        List<Dataset> s = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            s.add(new Dataset(Nd4j.zeros(DataType.FLOAT, 2, 784), new int[] {0, 1}, new int[] {1, 28, 28}));
        }
        return s;
    }

    private static RunConfig.Builder dpAdam() {
        return RunConfig.builder().clients(CLIENTS).dp(DpConfig.builder(1.0, 0.5).q(0.5).build())
                .serverOptimizer(ServerOptimizerKind.adam).serverLearningRate(0.01).serverMomentum(0.8)
                .serverBeta2(0.95).serverTau(1e-5);
    }

    @Test
    void theServerOptionsBuildFedAdamOrFedYogiOverDpFedAvg() {
        DpRun run = new DpRun(dpAdam().build(), new VaeRecipe(VaeSettings.defaults()), shards());
        PartPolicy policy = assertInstanceOf(PartPolicy.class, run.aggregator(new FedAvg()));
        ServerOptimizer adam = assertInstanceOf(ServerOptimizer.class, policy.defaultAggregator());
        assertEquals(ServerOptimizer.Kind.ADAM, adam.kind());
        DpFedAvg dp = assertInstanceOf(DpFedAvg.class, adam.inner());
        assertEquals(run.ledger(), dp.ledger());
        assertTrue(adam.toString().startsWith("ServerOptimizer{ADAM, lr=0.01, beta1=0.8, beta2=0.95, tau=1.0E-5,"),
                adam.toString());
        DpRun yogi = new DpRun(dpAdam().serverOptimizer(ServerOptimizerKind.yogi).build(),
                new VaeRecipe(VaeSettings.defaults()), shards());
        ServerOptimizer y = assertInstanceOf(ServerOptimizer.class, ((PartPolicy) yogi.aggregator(new FedAvg()))
                .defaultAggregator());
        assertEquals(ServerOptimizer.Kind.YOGI, y.kind());
        assertInstanceOf(DpFedAvg.class, y.inner());
    }

    @Test
    void withoutServerOptTheDpRunKeepsDpFedAvgOrItsFedAvgM() {
        RunConfig.Builder plain = RunConfig.builder().clients(CLIENTS).dp(DpConfig.builder(1.0, 0.5).q(0.5).build());
        PartPolicy p = (PartPolicy) new DpRun(plain.build(), new VaeRecipe(VaeSettings.defaults()), shards())
                .aggregator(new FedAvg());
        assertInstanceOf(DpFedAvg.class, p.defaultAggregator());
        RunConfig.Builder momentum = RunConfig.builder().clients(CLIENTS).dp(DpConfig.builder(1.0, 0.5).q(0.5)
                .serverMomentum(0.9).build());
        ServerOptimizer m = assertInstanceOf(ServerOptimizer.class, ((PartPolicy) new DpRun(momentum.build(),
                new VaeRecipe(VaeSettings.defaults()), shards()).aggregator(new FedAvg())).defaultAggregator());
        assertEquals(ServerOptimizer.Kind.AVGM, m.kind());
    }

    @Test
    void whatDoesNotPostProcessTheNoisyMeanOrWouldSayItTwiceIsRefused() {
        DpConfig dp = DpConfig.builder(1.0, 0.5).q(0.5).build();
        assertEquals("--server-opt avgm cannot be combined with --dp-noise: DP-FedAvg's FedAvgM step on the noisy"
                + " mean is --dp-server-lr and --dp-server-momentum; or use --server-opt adam or yogi",
                assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().dp(dp)
                        .serverOptimizer(ServerOptimizerKind.avgm).build()).getMessage());
        assertEquals("--server-opt fedexp cannot be combined with --dp-noise: FedExP sizes its step from the clients'"
                + " individual updates, which DP-FedAvg's accounting does not allow; use --server-opt adam or yogi",
                assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().dp(dp)
                        .serverOptimizer(ServerOptimizerKind.fedexp).build()).getMessage());
        assertEquals("--server-opt adam steps with --server-lr and --server-momentum: drop --dp-server-lr and"
                + " --dp-server-momentum (DP's FedAvgM step)", assertThrows(IllegalArgumentException.class,
                        () -> RunConfig.builder().dp(DpConfig.builder(1.0, 0.5).q(0.5).serverMomentum(0.9).build())
                                .serverOptimizer(ServerOptimizerKind.adam).build()).getMessage());
        assertEquals("--server-opt yogi with --dp-unit record: the server optimizer steps on DP-FedAvg's noisy mean,"
                + " which record-level DP alone does not have; use --dp-unit client or both",
                assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().dp(DpConfig.builder(1.0, 0.5)
                        .unit(DpUnit.record).build()).serverOptimizer(ServerOptimizerKind.yogi).build())
                        .getMessage());
    }

    /** --server-lr-decay reaches FedAdam over DP-FedAvg: round t steps with η γ^(t−1). */
    @Test
    void theServerLearningRateDecayReachesTheDpServerStep() {
        DpRun run = new DpRun(dpAdam().serverLrDecay(0.5).build(), new VaeRecipe(VaeSettings.defaults()), shards());
        ServerOptimizer adam = assertInstanceOf(ServerOptimizer.class,
                ((PartPolicy) run.aggregator(new FedAvg())).defaultAggregator());
        assertEquals(0.01, adam.learningRate(1));
        assertEquals(0.0025, adam.learningRate(3));
        assertInstanceOf(DpFedAvg.class, adam.inner());
    }

    /**
     * Seeded noise and sampling make the DP run reproducible, so the resumed run (with a decaying server rate) must
     * end on the same bits.
     */
    @Test
    void aDpFedAdamRunResumedEndsBitIdenticalToTheStraightRun() throws Exception {
        RunConfig.Builder tiny = RunConfig.builder().model(TINY_VAE).clients(4).partition(PartitionKind.iid)
                .localSteps(2).batchSize(8).workers(1).evalEvery(2).qualitySamples(0).samples(0)
                .dp(DpConfig.builder(1.0, 0.1).q(0.75).seededNoise(true).seededSampling(true).build())
                .serverOptimizer(ServerOptimizerKind.adam).serverLearningRate(0.01).serverTau(1e-5)
                .serverLrDecay(0.8);
        StraightAndResumed r = StraightAndResumed.run(tiny, dir, 3);
        List<String> keys = new ArrayList<>(r.half().aggregatorState().keySet());
        assertTrue(keys.stream().anyMatch(k -> k.contains("m/")) && keys.stream().anyMatch(k -> k.contains("v/"))
                && keys.stream().anyMatch(k -> k.contains("ledger/")), "moments and ledger checkpointed: " + keys);
        assertEquals(3, r.resumed().round());
        r.assertSameBits();
        // The resumed run moved the model: its third round stepped with the restored moments.
        assertFalse(Arrays.equals(r.half().model().part("decoder").toFloatVector(),
                r.resumed().model().part("decoder").toFloatVector()), "round 3 changed the decoder");
    }

    /** Secure aggregation hands DP-FedAvg the unmasked sum; FedAdam steps on the noisy mean it returns. */
    @Test
    void secureAggregationWithDpAndFedAdamTrainsThroughTheRunPath() {
        RunConfig o = RunConfig.builder().model(TINY_VAE).clients(3).partition(PartitionKind.iid).rounds(2)
                .localSteps(1).batchSize(8).workers(1).evalEvery(2).qualitySamples(0).samples(0)
                .out(dir.resolve("secagg-dp-adam")).secureAggregation(SecureAggregationSettings.defaults())
                .dp(DpConfig.builder(1.0, 0.1).q(1.0).build()).serverOptimizer(ServerOptimizerKind.adam)
                .serverLearningRate(0.01).build();
        List<Double> epsilon = new ArrayList<>();
        List<Double> sensitivity = new ArrayList<>();
        new FederatedRun(o, r -> {
            epsilon.add(r.metric("epsilon"));
            sensitivity.add(r.metric("dp_sensitivity"));
        }).run();
        assertTrue(sensitivity.get(0) > 0.1 && sensitivity.get(0) < 0.2, "sensitivity " + sensitivity);
        assertTrue(epsilon.get(0) > 0 && epsilon.get(1) > epsilon.get(0), "epsilon per round " + epsilon);
    }
}
