package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.fedgen.core.Aggregator;
import org.fedgen.core.aggregate.DriftMeter;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedExp;
import org.fedgen.core.aggregate.FedProx;
import org.fedgen.core.aggregate.IterateAverage;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerOptimizerWiringTest {
    private static final VaeRecipe VAE = new VaeRecipe(VaeSettings.defaults());

    private static Aggregator aggregator(RunConfig.Builder b) {
        return FederatedRun.aggregator(b.build(), VAE);
    }

    @Test
    void eachServerOptimizerWrapsTheMeasuredAverage() {
        for (ServerOptimizerKind kind : new ServerOptimizerKind[] {ServerOptimizerKind.avgm,
                ServerOptimizerKind.adam, ServerOptimizerKind.yogi}) {
            ServerOptimizer opt = assertInstanceOf(ServerOptimizer.class, aggregator(RunConfig.builder()
                    .serverOptimizer(kind).serverLearningRate(0.5)));
            assertEquals(kind.name().toUpperCase(java.util.Locale.ROOT), opt.kind().name());
            DriftMeter meter = assertInstanceOf(DriftMeter.class, opt.inner());
            assertInstanceOf(FedAvg.class, meter.inner());
        }
        DriftMeter prox = assertInstanceOf(DriftMeter.class, ((ServerOptimizer) aggregator(RunConfig.builder()
                .aggregator(AggregatorKind.fedprox).serverOptimizer(ServerOptimizerKind.avgm))).inner());
        assertInstanceOf(FedProx.class, prox.inner());
    }

    @Test
    void theServerLearningRateDecayReachesTheOptimizerAndIsRefusedWhereNothingDecays() {
        ServerOptimizer opt = assertInstanceOf(ServerOptimizer.class, aggregator(RunConfig.builder()
                .serverOptimizer(ServerOptimizerKind.adam).serverLearningRate(0.04).serverLrDecay(0.5)));
        assertEquals(0.04, opt.learningRate(1));
        assertEquals(0.01, opt.learningRate(3));
        ServerOptimizer constant = assertInstanceOf(ServerOptimizer.class, aggregator(RunConfig.builder()
                .serverOptimizer(ServerOptimizerKind.yogi).serverLearningRate(0.04)));
        assertEquals(0.04, constant.learningRate(50));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder()
                .serverLrDecay(0.9).build());
        assertEquals("--server-lr-decay applies only with --server-opt avgm, adam or yogi, got --server-opt none",
                none.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder()
                .serverOptimizer(ServerOptimizerKind.adam).serverLrDecay(1.2).build());
        assertEquals("--server-lr-decay must be in (0, 1], got 1.2", range.getMessage());
    }

    @Test
    void fedExpWrapsTheMeasuredAverageAndTheVaeEvaluatesItsLastTwoIterates() {
        IterateAverage avg = assertInstanceOf(IterateAverage.class, aggregator(RunConfig.builder()
                .serverOptimizer(ServerOptimizerKind.fedexp)));
        FedExp exp = assertInstanceOf(FedExp.class, avg.inner());
        assertEquals(FedExp.DEFAULT_EPSILON, exp.epsilon());
        assertInstanceOf(FedAvg.class, assertInstanceOf(DriftMeter.class, exp.inner()).inner());
        Aggregator central = aggregator(RunConfig.builder().centralized(true).serverOptimizer(
                ServerOptimizerKind.fedexp));
        assertInstanceOf(FedAvg.class, assertInstanceOf(DriftMeter.class, central).inner());
    }

    @Test
    void aFedExpRunResumedEndsWhereTheStraightRunEnds(@TempDir Path dir) throws Exception {
        RunConfig.Builder tiny = RunConfig.builder().clients(3).partition(PartitionKind.iid).localSteps(2)
                .batchSize(8).workers(1).evalEvery(2).qualitySamples(0).samples(0)
                .serverOptimizer(ServerOptimizerKind.fedexp);
        StraightAndResumed r = StraightAndResumed.run(tiny, dir, 3);
        assertEquals(true, r.half().aggregatorState().keySet().stream().anyMatch(k -> k.startsWith("average/")),
                "the iterate average is in the checkpoint: " + r.half().aggregatorState().keySet());
        r.assertSameBits();
    }

    @Test
    void withoutAServerOptimizerOrCentralizedTheAverageIsUsedAsItIs() {
        assertInstanceOf(FedAvg.class, assertInstanceOf(DriftMeter.class, aggregator(RunConfig.builder())).inner());
        Aggregator central = aggregator(RunConfig.builder().centralized(true).serverOptimizer(
                ServerOptimizerKind.avgm));
        assertInstanceOf(FedAvg.class, assertInstanceOf(DriftMeter.class, central).inner());
    }

    @Test
    void aServerOptimizerThatWouldBeIgnoredOrDoubledIsRefusedNamingTheOption() {
        IllegalArgumentException sgd = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder()
                .aggregator(AggregatorKind.fedsgd).serverOptimizer(ServerOptimizerKind.adam).build());
        assertEquals("--server-opt adam applies to --aggregator fedavg, fedprox or scaffold, got fedsgd", sgd.getMessage());
        IllegalArgumentException dp = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder()
                .dp(DpConfig.builder(1.0, 0.5).build()).serverOptimizer(ServerOptimizerKind.avgm).build());
        assertEquals(true, dp.getMessage().startsWith("--server-opt avgm cannot be combined with --dp-noise"));
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class, () -> RunConfig.builder()
                .serverOptimizer(ServerOptimizerKind.avgm).serverMomentum(1.0).build());
        assertEquals("--server-momentum must be in [0, 1), got 1.0", beta.getMessage());
    }

    @Test
    void aRunResumedWithAServerOptimizerEndsWhereTheStraightRunEnds(@TempDir Path dir) throws Exception {
        RunConfig.Builder tiny = RunConfig.builder().clients(3).partition(PartitionKind.iid).localSteps(2)
                .batchSize(8).workers(1).evalEvery(2).qualitySamples(0).samples(0)
                .serverOptimizer(ServerOptimizerKind.avgm).serverLearningRate(0.7).serverMomentum(0.9);
        StraightAndResumed r = StraightAndResumed.run(tiny, dir, 3);
        assertEquals(true, r.half().aggregatorState().keySet().stream().anyMatch(k -> k.startsWith("m/")),
                "the momentum is in the checkpoint: " + r.half().aggregatorState().keySet());
        assertEquals(3, r.resumed().round());
        r.assertSameBits();
    }

    @Test
    void theServerOptimizerSettingsRoundTripThroughJson() {
        RunConfig c = RunConfig.builder().serverOptimizer(ServerOptimizerKind.yogi).serverLearningRate(0.03)
                .serverMomentum(0.8).serverBeta2(0.9).serverTau(1e-2).build();
        RunConfig back = RunConfigJson.read(RunConfigJson.write(c), "run.json");
        assertEquals(c, back);
        assertSame(ServerOptimizerKind.none, RunConfigJson.read("{}", "run.json").serverOptimizer());
    }
}
