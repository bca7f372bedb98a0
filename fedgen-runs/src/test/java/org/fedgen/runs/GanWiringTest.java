package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.fedgen.core.Aggregator;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.ServerStep;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.MmdAggregator;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.core.sim.Simulation;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.models.gan.GeneratorServerStep;
import org.fedgen.models.gan.GeneratorTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanWiringTest {
    private static final Dataset DIGITS = Digits.bundled().range(0, 96);

    private static RunConfig.Builder options(GanSettings.Builder gan) {
        return RunConfig.builder().model(gan.generatorSteps(3).build()).clients(2).localSteps(2).batchSize(16);
    }

    private static RunConfig options(GanTopology topology) {
        return options(GanSettings.builder().topology(topology)).build();
    }

    private static GanSettings.Builder gan(GanTopology topology) {
        return GanSettings.builder().topology(topology);
    }

    /** A tiny MD-GAN run: 3 clients, batch 8, {@code rounds} rounds evaluated at the last, written to {@code dir}. */
    private static RunConfig.Builder mdGanOptions(Path dir, int rounds, GanSettings.Builder gan) {
        return options(gan.topology(GanTopology.MDGAN)).clients(3).batchSize(8).rounds(rounds).evalEvery(rounds)
                .out(dir);
    }

    /** One round of a simulation built from the recipe, as FederatedRun wires it, with the server step spied on. */
    private static RoundResult oneRound(RunConfig o, GanRecipe recipe, ModelState init, ServerStep step) {
        List<RoundResult> results = new ArrayList<>();
        try (Simulation sim = Simulation.builder().model(recipe.factory())
                .clientData(List.of(DIGITS.range(0, 48), DIGITS.range(48, 96))).workers(1)
                .aggregator(recipe.aggregator(o, new FedAvg())).serverStep(step).rounds(1).seed(7)
                .fitInstructions(recipe.fitDefaults(o).build()).initialState(init)
                .generatorScore(KernelMmd.medianHeuristic()::mmd2).listener(results::add).build()) {
            sim.run();
        }
        return results.get(0);
    }

    @Test
    void dpFedAvgGanTrainsTheDiscriminatorOnClientsAndTheGeneratorOnlyInTheServerStep() {
        RunConfig o = options(GanTopology.DPFEDAVG_GAN);
        GanRecipe recipe = new GanRecipe(o);
        ServerStep real = recipe.serverStep(o);
        assertInstanceOf(GeneratorServerStep.class, real);
        ModelState init = new Gan(recipe.config()).initialize(3);
        AtomicReference<ModelState> aggregated = new AtomicReference<>();
        AtomicLong seed = new AtomicLong();
        RoundResult r = oneRound(o, recipe, init, (state, ctx) -> {
            aggregated.set(state.copy());
            seed.set(ctx.seed());
            return real.apply(state, ctx);
        });
        // after aggregation: D moved (the clients trained it), G is still the broadcast one
        assertEquals(init.part(Gan.GENERATOR), aggregated.get().part(Gan.GENERATOR));
        assertNotEquals(init.part(Gan.DISCRIMINATOR), aggregated.get().part(Gan.DISCRIMINATOR));
        // after the round: D is the aggregate, G is exactly n_gen trainer steps against it
        ModelState expected = new GeneratorTrainer(recipe.config(), 3, o.batchSize(), o.learningRate())
                .train(aggregated.get(), seed.get());
        assertEquals(aggregated.get().part(Gan.DISCRIMINATOR), r.global().part(Gan.DISCRIMINATOR));
        assertEquals(expected.part(Gan.GENERATOR), r.global().part(Gan.GENERATOR));
        long g = init.part(Gan.GENERATOR).length();
        long d = init.part(Gan.DISCRIMINATOR).length();
        assertEquals(2.0 * (g + d) * Float.BYTES, r.metric("bytes_down"));
        assertEquals(2.0 * d * Float.BYTES, r.metric("bytes_up"));
    }

    @Test
    void serverStepHoldsNoPathToClientData() {
        for (Class<?> c : List.of(GeneratorServerStep.class, GeneratorTrainer.class)) {
            for (Field f : c.getDeclaredFields()) {
                assertFalse(Dataset.class.isAssignableFrom(f.getType()), f.toString());
                assertFalse(Simulation.class.isAssignableFrom(f.getType()), f.toString());
            }
            for (Constructor<?> k : c.getConstructors()) {
                for (Class<?> p : k.getParameterTypes()) {
                    assertFalse(Dataset.class.isAssignableFrom(p), k.toString());
                }
            }
        }
    }

    @Test
    void iflGanRoutesTheGeneratorToTheMmdAggregatorAndClientsReportTheirScore() {
        RunConfig o = options(GanTopology.IFLGAN);
        GanRecipe recipe = new GanRecipe(o);
        FedAvg base = new FedAvg();
        PartPolicy policy = assertInstanceOf(PartPolicy.class, recipe.aggregator(o, base));
        assertInstanceOf(MmdAggregator.class, policy.aggregatorFor(Gan.GENERATOR));
        assertSame(base, policy.aggregatorFor(Gan.DISCRIMINATOR));
        assertFalse(policy.aggregatorFor(Gan.GENERATOR).toString().contains("n_k prior"));
        RunConfig weighted = options(gan(GanTopology.IFLGAN)).mmdDataWeights(true).build();
        PartPolicy wp = assertInstanceOf(PartPolicy.class, new GanRecipe(weighted).aggregator(weighted, base));
        assertTrue(wp.aggregatorFor(Gan.GENERATOR).toString().contains("n_k prior"),
                wp.aggregatorFor(Gan.GENERATOR).toString());
        ModelState init = new Gan(recipe.config()).initialize(3);
        assertTrue(policy.configureFit(FitInstructions.builder().build(), init).reportMmd());
        RoundResult r = oneRound(o, recipe, init, null);
        assertTrue(Double.isFinite(r.metric("client_mmd")), r.metrics().toString());
    }

    @Test
    void flGanUsesTheChosenAggregatorForBothPartsAndHasNoServerStep() {
        RunConfig o = options(GanTopology.FLGAN);
        GanRecipe recipe = new GanRecipe(o);
        Aggregator base = new FedAvg();
        assertSame(base, recipe.aggregator(o, base));
        assertEquals(null, recipe.serverStep(o));
        RunConfig dp = options(gan(GanTopology.DPFEDAVG_GAN)).aggregator(AggregatorKind.mmd).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GanRecipe(dp).aggregator(dp, base));
        assertTrue(e.getMessage().contains("mmd"), e.getMessage());
    }

    @Test
    void settingsSelectTopologyLossAndConditioning() {
        GanSettings g = gan(GanTopology.DPFEDAVG_GAN).loss(GanLoss.WGAN_GP).conditional(true).generatorSteps(7)
                .mdLocalSteps(3).swapEpochs(2).classLossWeight(0.5).build();
        RunConfig o = RunConfig.builder().model(g).build();
        assertEquals(3, g.effectiveMdLocalSteps());
        assertEquals(5, g.effectiveCriticSteps());
        assertEquals(1, gan(GanTopology.FLGAN).loss(GanLoss.NON_SATURATING_BCE).build().effectiveCriticSteps());
        assertEquals(10, new GanRecipe(o).config().numClasses());
        assertEquals(0.5, new GanRecipe(o).config().classLossWeight());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> GanTopology.parse("fedgan"));
        assertTrue(bad.getMessage().contains("fedgan"), bad.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gan(GanTopology.FLGAN).swapEpochs(-1).build())
                .getMessage().contains("--swap-epochs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> gan(GanTopology.FLGAN).classLossWeight(-0.25).build()).getMessage()
                .contains("--class-loss-weight must be finite and >= 0, got -0.25"));
    }

    /** The twin classifier reaches the model's config, and only a conditional GAN takes it. */
    @Test
    void twinClassifierNeedsConditioningAndReachesTheConfig() {
        RunConfig o = RunConfig.builder().model(gan(GanTopology.FLGAN).conditional(true).twinClassifier(true).build())
                .build();
        assertTrue(new GanRecipe(o).config().twinClassifier());
        assertEquals(false, new GanRecipe(RunConfig.builder().model(gan(GanTopology.FLGAN).conditional(true).build())
                .build()).config().twinClassifier());
        assertEquals("--twin-classifier needs a conditional GAN (add --conditional)", assertThrows(
                IllegalArgumentException.class, () -> gan(GanTopology.FLGAN).twinClassifier(true).build())
                .getMessage());
    }

    /** Client codes give MD-GAN's generator one code per client, weighted by the clients' training examples. */
    @Test
    void clientCodesWeightTheGeneratorCodesByClientDataAndNeedMdGan() {
        RunConfig o = RunConfig.builder().model(gan(GanTopology.MDGAN).clientCodes(true).build()).build();
        GanRecipe recipe = new GanRecipe(o, new double[] {30, 10, 60});
        assertEquals(3, recipe.config().numSources());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.3, 0.1, 0.6},
                recipe.config().sourceWeights(), 1e-15);
        assertEquals(0, new GanRecipe(o).config().numSources());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gan(GanTopology.FLGAN).clientCodes(true)
                .build()).getMessage().contains("--client-codes needs --topology mdgan, got flgan"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gan(GanTopology.MDGAN).clientCodes(true)
                .conditional(true).build()).getMessage().contains("--client-codes needs an unconditional GAN"));
    }

    @Test
    void packReachesTheDiscriminatorAndIsChecked() {
        RunConfig o = RunConfig.builder().model(gan(GanTopology.MDGAN).pack(3).build()).build();
        assertEquals(3, new GanRecipe(o).config().pack());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gan(GanTopology.FLGAN).pack(0).build())
                .getMessage().contains("--pack must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gan(GanTopology.FLGAN).pack(2)
                .conditional(true).build()).getMessage().contains("--pack 2 needs an unconditional GAN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gan(GanTopology.DPFEDAVG_GAN)
                .generatorAverageDecay(0.9).build()).getMessage()
                .contains("--generator-average 0.9 does not apply to dpfedavg-gan"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gan(GanTopology.FLGAN)
                .generatorAverageDecay(1.0).build()).getMessage()
                .contains("--generator-average must be in [0, 1), got 1.0"));
    }

    @Test
    void conditionalFlGanDefaultsToTheLongerRun() {
        assertEquals(200, RunConfig.builder().model(gan(GanTopology.FLGAN).conditional(true).build()).build()
                .rounds());
        assertEquals(80, RunConfig.builder().model(gan(GanTopology.FLGAN).build()).build().rounds());
        // a value that was set is kept, even the shared default
        assertEquals(50, RunConfig.builder().model(gan(GanTopology.FLGAN).build()).rounds(50).build().rounds());
        RunConfig md = RunConfig.builder().model(gan(GanTopology.MDGAN).build()).build();
        assertEquals(List.of(20, 30, 32, 2e-4, 10), List.of(md.rounds(), md.localSteps(), md.batchSize(),
                md.learningRate(), md.evalEvery()));
        RunConfig epochs = RunConfig.builder().model(gan(GanTopology.FLGAN).build()).localEpochs(3).build();
        assertEquals(List.of(3, 0), List.of(epochs.localEpochs(), epochs.localSteps()));
        assertEquals(1.0, RunConfig.builder().model(gan(GanTopology.IFLGAN).build()).build().mmdTemperature());
        RunConfig vae = RunConfig.builder().build();
        assertEquals(List.of(50, 2, 0, 64, 1e-3, 5), List.of(vae.rounds(), vae.localEpochs(), vae.localSteps(),
                vae.batchSize(), vae.learningRate(), vae.evalEvery()));
    }

    @Test
    void mdGanRunWritesItsTrafficPerRound(@TempDir Path dir) throws Exception {
        RunConfig o = mdGanOptions(dir, 2, gan(GanTopology.MDGAN).swapEpochs(0)).samples(0).build();
        List<RoundResult> seen = new ArrayList<>();
        new FederatedRun(o, seen::add).run();
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(3, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        for (int row = 1; row <= 2; row++) {
            String[] v = lines.get(row).split(",");
            // per iteration and client: B·784 float32 down; B·784 float32 + two float64 losses up
            assertEquals(2.0 * 3 * 8 * 784 * 4, Double.parseDouble(v[header.indexOf("bytes_down")]));
            assertEquals(2.0 * 3 * (8 * 784 * 4 + 16), Double.parseDouble(v[header.indexOf("bytes_up")]));
            assertEquals(0.0, Double.parseDouble(v[header.indexOf("bytes_peer")]));
            assertEquals(2.0 * row, Double.parseDouble(v[header.indexOf("iterations")]));
        }
        assertEquals(2, seen.size());
        assertTrue(Files.exists(dir.resolve("samples.png")));
        assertTrue(Files.exists(dir.resolve("samples-round-0002.png")));
        Map<String, Double> last = seen.get(1).metrics();
        assertTrue(Double.isFinite(last.get("d_real")), last.toString());
    }

    /** MD-GAN with --client-codes runs end to end: its generator takes the 3 codes, evaluation and samples work. */
    @Test
    void mdGanRunWithClientCodes(@TempDir Path dir) throws Exception {
        RunConfig o = mdGanOptions(dir, 1, gan(GanTopology.MDGAN).clientCodes(true)).qualitySamples(20).samples(10)
                .build();
        List<RoundResult> seen = new ArrayList<>();
        new FederatedRun(o, seen::add).run();
        GanConfig plain = GanRecipe.config(o);
        long expected = new Gan(plain.toBuilder().sourceWeights(1, 1, 1).build()).initialize(1)
                .part(Gan.GENERATOR).length();
        assertEquals(expected, seen.get(0).global().part(Gan.GENERATOR).length());
        assertTrue(expected > new Gan(plain).initialize(1)
                .part(Gan.GENERATOR).length());
        assertTrue(Double.isFinite(seen.get(0).metrics().get("d_fake")), seen.get(0).metrics().toString());
        assertTrue(Double.isFinite(seen.get(0).metrics().get("fid")), seen.get(0).metrics().toString());
        assertTrue(Files.size(dir.resolve("samples-idx3-ubyte")) > 10 * 784);
    }

    private double[] dFake(Path out, String decay) throws Exception {
        RunConfig o = RunConfig.builder().model(gan(GanTopology.IFLGAN)
                .generatorAverageDecay(Double.parseDouble(decay)).build()).clients(2).partition(PartitionKind.iid)
                .rounds(2).localSteps(1).batchSize(8).workers(1).evalEvery(1).qualitySamples(0).samples(0)
                .out(out.resolve(decay)).build();
        double[] v = new double[2];
        RoundListener record = r -> v[(int) r.round() - 1] = r.metric("d_fake");
        new FederatedRun(o, record).run();
        return v;
    }

    /**
     * FL-GAN/IFL-GAN --generator-average: evaluation uses the server's moving average of the global model, which
     * equals the first round's aggregate and then lags the raw weights.
     */
    @Test
    void generatorAverageIsWhatEvaluationSees(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        double[] raw = dFake(dir, "0");
        double[] averaged = dFake(dir, "0.5");
        assertEquals(raw[0], averaged[0], 0.0);
        assertNotEquals(raw[1], averaged[1]);
    }
}
