package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.aggregate.CoordinateMedian;
import org.fedgen.core.aggregate.GeometricMedian;
import org.fedgen.core.aggregate.Krum;
import org.fedgen.core.aggregate.NormBound;
import org.fedgen.core.aggregate.TrimmedMean;
import org.fedgen.core.attack.PoisonedClient;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The robust-aggregation and attack settings: mapping to library objects, attackers, poisoning, backdoor success. */
class RobustSettingsTest {
    private static RobustSettings with(double trim, int f, int m, double bound, AttackKind attack, double fraction,
            int backdoorLabel) {
        return new RobustSettings(trim, f, m, bound, 3, 1e-6, 1.0, attack, fraction, 4.0, backdoorLabel);
    }

    private static final RobustSettings DEFAULTS = RobustSettings.defaults();

    private record Stub(int clientId) implements ClientProxy {
        @Override
        public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void everyAggregatorNameMapsToItsLibraryRuleWithTheOptionsParameters() {
        RobustSettings t = with(0.2, 1, 0, 1.0, AttackKind.none, 0.2, 0);
        assertEquals(0.2, ((TrimmedMean) t.aggregator(AggregatorKind.trimmed_mean, 10)).beta());
        assertInstanceOf(CoordinateMedian.class, DEFAULTS.aggregator(AggregatorKind.median, 10));
        Krum k = (Krum) DEFAULTS.aggregator(AggregatorKind.krum, 10);
        assertEquals(1, k.m());
        Krum m = (Krum) with(0.1, 2, 5, 1.0, AttackKind.none, 0.2, 0).aggregator(AggregatorKind.multi_krum, 10);
        assertEquals(2, m.f());
        assertEquals(5, m.m());
        assertEquals(3.0, ((NormBound) with(0.1, 1, 0, 3.0, AttackKind.none, 0.2, 0)
                .aggregator(AggregatorKind.norm_bound, 10)).bound());
        assertInstanceOf(GeometricMedian.class, DEFAULTS.aggregator(AggregatorKind.rfa, 10));
        assertNull(DEFAULTS.aggregator(AggregatorKind.fedavg, 10));
    }

    @Test
    void theAttackWrapsExactlyTheChosenClients() {
        RobustSettings o = with(0.1, 1, 0, 1.0, AttackKind.sign_flip, 0.3, 0);
        var wrap = o.clientWrapper(10, 42);
        int wrapped = 0;
        for (int id = 0; id < 10; id++) {
            ClientProxy p = wrap.apply(new Stub(id));
            assertEquals(o.attackers(10, 42).contains(id), p instanceof PoisonedClient, "client " + id);
            wrapped += p instanceof PoisonedClient ? 1 : 0;
        }
        assertEquals(3, wrapped);
        ClientProxy s = new Stub(1);
        assertSame(s, DEFAULTS.clientWrapper(10, 42).apply(s));
        assertSame(s, with(0.1, 1, 0, 1.0, AttackKind.label_flip, 0.2, 0).clientWrapper(10, 42).apply(s));
    }

    @Test
    void dataPoisoningReplacesTheAttackersShardsAndNeedsAConditionalModel() {
        List<Dataset> shards = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            shards.add(new Dataset(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 784), new int[] {1, 2},
                    new int[] {1, 28, 28}));
        }
        RobustSettings r = with(0.1, 1, 0, 1.0, AttackKind.label_flip, 0.2, 0);
        List<Dataset> out = r.poisonedShards(shards, 7, true);
        int attacker = r.attackers(5, 7).first();
        for (int i = 0; i < 5; i++) {
            int[] expected = i == attacker ? new int[] {8, 7} : new int[] {1, 2};
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(out.get(i).labels()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.poisonedShards(shards, 7, false));
        assertTrue(e.getMessage().contains("--conditional"), e.getMessage());
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertEquals("--trim-fraction must be in [0, 0.5), got 0.5", assertThrows(IllegalArgumentException.class,
                () -> with(0.5, 1, 0, 1.0, AttackKind.none, 0.2, 0)).getMessage());
        assertEquals("--norm-bound must be finite and > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> with(0.1, 1, 0, 0.0, AttackKind.none, 0.2, 0)).getMessage());
        assertEquals("--attack-fraction must be in [0, 1], got -0.1", assertThrows(IllegalArgumentException.class,
                () -> with(0.1, 1, 0, 1.0, AttackKind.none, -0.1, 0)).getMessage());
        assertEquals("--backdoor-label must be a digit 0-9, got 10", assertThrows(IllegalArgumentException.class,
                () -> with(0.1, 1, 0, 1.0, AttackKind.backdoor, 0.2, 10)).getMessage());
    }

    @Test
    void backdoorSuccessIsTheFractionOfTargetLabelSamplesDrawingTheTrigger() {
        RobustSettings r = with(0.1, 1, 0, 1.0, AttackKind.backdoor, 0.2, 3);
        float[] trigger = r.backdoor().trigger();
        int[][] asked = new int[1][];
        ModelRecipe halfTriggers = new ModelRecipe() {
            @Override
            public java.util.function.Supplier<org.fedgen.core.GenerativeModel> factory() {
                throw new UnsupportedOperationException();
            }

            @Override
            public String generatorPart() {
                return "generator";
            }

            @Override
            public Map<String, Double> evaluate(ModelState global, Dataset heldOut, long seed) {
                return Map.of();
            }

            @Override
            public org.nd4j.linalg.api.ndarray.INDArray sample(ModelState global, int n, long seed) {
                throw new UnsupportedOperationException();
            }

            /** Even rows are the trigger, odd rows all ones. */
            @Override
            public org.nd4j.linalg.api.ndarray.INDArray sample(ModelState global, int[] labels, long seed) {
                asked[0] = labels;
                float[][] rows = new float[labels.length][];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = i % 2 == 0 ? trigger : new float[784];
                    if (i % 2 == 1) {
                        java.util.Arrays.fill(rows[i], 1f);
                    }
                }
                return Nd4j.createFromArray(rows);
            }
        };
        // even rows match exactly; odd rows (all ones) differ by 1 - 36/784 > 0.1 on average
        assertEquals(Map.of("backdoor_success", 0.5), r.backdoorSuccess(halfTriggers, null, 1));
        assertEquals(RobustSettings.BACKDOOR_SAMPLES, asked[0].length);
        assertTrue(java.util.Arrays.stream(asked[0]).allMatch(y -> y == 3));
        assertEquals(Map.of(), DEFAULTS.backdoorSuccess(halfTriggers, null, 1));
        assertThrows(IllegalArgumentException.class, () -> new VaeRecipe(VaeSettings.defaults()).sample(null, new int[] {1}, 1));
    }
    /**
     * The backdoor metric on a real conditional GAN: a generator whose weights are all 0 draws sigmoid(bias) for
     * every latent and label, so its final bias decides exactly what every sample is.
     */
    @Test
    void backdoorSuccessOfAConditionalGanSamplesTheBackdoorLabelInPixelRange() {
        RunConfig o = RunConfig.builder().model(GanSettings.builder().topology(org.fedgen.models.gan.GanTopology.FLGAN)
                .conditional(true).build()).build();
        GanRecipe recipe = new GanRecipe(o);
        ModelState init = new org.fedgen.models.gan.Gan(recipe.config()).initialize(1);
        RobustSettings r = with(0.1, 1, 0, 1.0, AttackKind.backdoor, 0.2, 0);
        float[] trigger = r.backdoor().trigger();
        long g = init.part(org.fedgen.models.gan.Gan.GENERATOR).length();
        // the generator's vector ends with the output layer's bias, one per pixel (Mlp: per layer W, then b)
        float[] drawsTrigger = new float[(int) g];
        float[] blank = new float[(int) g];
        float[] grey = new float[(int) g];
        for (int i = 0; i < trigger.length; i++) {
            drawsTrigger[(int) g - trigger.length + i] = trigger[i] == 1f ? 30f : -30f;
            blank[(int) g - trigger.length + i] = -30f;
        }
        assertEquals(Map.of("backdoor_success", 1.0), r.backdoorSuccess(recipe, generator(init, drawsTrigger), 5));
        assertEquals(Map.of("backdoor_success", 0.0), r.backdoorSuccess(recipe, generator(init, grey), 5));
        // blank samples are within 36/784 of the trigger overall, but do not draw its square
        assertEquals(Map.of("backdoor_success", 0.0), r.backdoorSuccess(recipe, generator(init, blank), 5));
    }

    private static ModelState generator(ModelState state, float[] values) {
        return state.with(Map.of(org.fedgen.models.gan.Gan.GENERATOR, Nd4j.createFromArray(values)));
    }
}
