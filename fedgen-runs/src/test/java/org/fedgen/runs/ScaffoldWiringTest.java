package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fedgen.core.Aggregator;
import org.fedgen.core.aggregate.DriftMeter;
import org.fedgen.core.aggregate.FedExp;
import org.fedgen.core.aggregate.IterateAverage;
import org.fedgen.core.aggregate.Scaffold;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.models.gan.GanTopology;
import org.junit.jupiter.api.Test;

class ScaffoldWiringTest {
    private static final VaeRecipe VAE = new VaeRecipe(VaeSettings.defaults());

    private static Aggregator aggregator(RunConfig.Builder b) {
        return FederatedRun.aggregator(b.build(), VAE);
    }

    private static RunConfig.Builder scaffold() {
        return RunConfig.builder().aggregator(AggregatorKind.scaffold);
    }

    @Test
    void serverLrIsScaffoldsStepUnlessAServerOptimizerTakesIt() {
        Scaffold plain = assertInstanceOf(Scaffold.class, assertInstanceOf(DriftMeter.class,
                aggregator(scaffold().serverLearningRate(1.5))).inner());
        assertEquals(1.5, plain.serverLearningRate());
        ServerOptimizer avgm = assertInstanceOf(ServerOptimizer.class, aggregator(scaffold()
                .serverOptimizer(ServerOptimizerKind.avgm).serverLearningRate(0.5)));
        assertEquals(1.0, assertInstanceOf(Scaffold.class, assertInstanceOf(DriftMeter.class, avgm.inner()).inner())
                .serverLearningRate());
        // FedExP sets its own step and takes no learning rate: --server-lr stays SCAFFOLD's
        FedExp exp = assertInstanceOf(FedExp.class, assertInstanceOf(IterateAverage.class, aggregator(scaffold()
                .serverOptimizer(ServerOptimizerKind.fedexp).serverLearningRate(1.25))).inner());
        assertEquals(1.25, assertInstanceOf(Scaffold.class, assertInstanceOf(DriftMeter.class, exp.inner()).inner())
                .serverLearningRate());
    }

    @Test
    void whatScaffoldCannotBeCombinedWithIsRefusedNamingTheOption() {
        IllegalArgumentException dp = assertThrows(IllegalArgumentException.class, () -> scaffold()
                .dp(DpConfig.builder(1.0, 0.5).build()).build());
        assertEquals("--aggregator scaffold cannot be combined with --dp-noise / --dp-unit: every client also sends"
                + " its control change, a mean of its unclipped and un-noised gradients that the privacy accounting"
                + " does not cover", dp.getMessage());
        IllegalArgumentException record = assertThrows(IllegalArgumentException.class, () -> scaffold()
                .dp(DpConfig.builder(1.0, 0.01).unit(DpUnit.record).build()).build());
        assertEquals(dp.getMessage(), record.getMessage());
        IllegalArgumentException secagg = assertThrows(IllegalArgumentException.class, () -> scaffold()
                .secureAggregation(new SecureAggregationSettings(2, 16, 1.0, 0, 0, null)).build());
        assertEquals("--aggregator scaffold cannot be combined with --secure-aggregation yet: the server needs each"
                + " client's control change beside its masked delta", secagg.getMessage());
        IllegalArgumentException central = assertThrows(IllegalArgumentException.class, () -> scaffold()
                .centralized(true).build());
        assertEquals("--aggregator scaffold does not apply to --centralized: with one client the server control"
                + " equals the client's and the correction is zero; drop --aggregator", central.getMessage());
        IllegalArgumentException mdgan = assertThrows(IllegalArgumentException.class, () -> scaffold()
                .model(GanSettings.builder().topology(GanTopology.MDGAN).build()).build());
        assertEquals("--aggregator scaffold applies to --topology flgan among the GAN topologies, got mdgan",
                mdgan.getMessage());
        IllegalArgumentException deployed = assertThrows(IllegalArgumentException.class,
                () -> FederatedRun.clientModel(scaffold().build()));
        assertEquals("no client model for this configuration: --aggregator scaffold sends the server control with"
                + " the instructions, which the gRPC protocol does not carry yet", deployed.getMessage());
    }

    @Test
    void theAggregatorRoundTripsThroughJson() {
        RunConfig c = scaffold().serverLearningRate(1.5).build();
        assertEquals(c, RunConfigJson.read(RunConfigJson.write(c), "run.json"));
    }
}
