package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.util.Seeds;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GanTest {
    private static GanConfig tiny(GanLoss loss, int classes) {
        return GanConfig.builder().dataDim(6).latentDim(3).generatorHidden(5, 4).discriminatorHidden(5, 4)
                .numClasses(classes).loss(loss).criticSteps(loss == GanLoss.WGAN_GP ? 2 : 1).build();
    }

    private static Dataset data(int n, long seed, boolean labelled) {
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
            INDArray x = Nd4j.rand(r, n, 6).castTo(DataType.FLOAT);
            int[] y = null;
            if (labelled) {
                y = new int[n];
                for (int i = 0; i < n; i++) {
                    y[i] = i % 3;
                }
            }
            return new Dataset(x, y, new int[] {6});
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static FitInstructions.Builder fit() {
        return FitInstructions.builder().localSteps(3).batchSize(8).learningRate(1e-2).seed(21);
    }

    @Test
    void partsAreFlatVectorsOfTheArchitecturesSize() {
        ModelState s = new Gan(GanConfig.builder().build()).initialize(1);
        assertEquals(List.of(Gan.GENERATOR, Gan.DISCRIMINATOR), new ArrayList<>(s.partNames()));
        // G: 64·256+256 + 256·512+512 + 512·784+784; D: 784·512+512 + 512·256+256 + 256+1
        assertEquals(64 * 256 + 256 + 256 * 512 + 512 + 512 * 784 + 784, s.part(Gan.GENERATOR).length());
        assertEquals(784 * 512 + 512 + 512 * 256 + 256 + 256 + 1, s.part(Gan.DISCRIMINATOR).length());
    }

    @Test
    void weightMatricesAreViewsOfTheFlatVector() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 0));
        gan.initialize(3);
        Mlp d = gan.networks().discriminator;
        d.params().putScalar(6 * 5 + 5 + 1, 42f); // layer 1's W[0][1]
        assertEquals(42f, d.weight(1).getFloat(0, 1));
        d.gradient().putScalar(6 * 5 + 5 + 1, 7f);
        assertEquals(7f, d.weightGradient(1).getFloat(0, 1));
    }

    @Test
    void initializeIsDeterministicBySeed() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 3));
        ModelState a = gan.initialize(5);
        ModelState b = gan.initialize(5);
        ModelState c = gan.initialize(6);
        assertTrue(a.bitEquals(b));
        assertFalse(a.bitEquals(c));
    }

    @Test
    void loadRejectsUnknownPartsAndWrongLengths() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gan.load(
                ModelState.builder(0).part("encoder", Nd4j.zeros(DataType.FLOAT, 3)).build()));
        assertTrue(e.getMessage().contains("encoder"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> gan.load(
                ModelState.builder(0).part(Gan.GENERATOR, Nd4j.zeros(DataType.FLOAT, 3)).build()));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void fitIsDeterministicBySeedAndStartsFresh() {
        for (GanLoss loss : GanLoss.values()) {
            Gan gan = new Gan(tiny(loss, 3));
            ModelState init = gan.initialize(2);
            Dataset d = data(40, 9, true);
            Map<String, Double> m1 = gan.fit(d, fit().build(), init);
            ModelState s1 = gan.state();
            gan.load(init);
            Map<String, Double> m2 = gan.fit(d, fit().build(), init);
            assertTrue(s1.bitEquals(gan.state()), loss + ": same seed, same result");
            assertEquals(m1, m2);
            assertEquals(3.0, m1.get("steps"));
            assertEquals(loss == GanLoss.WGAN_GP ? 6.0 : 3.0, m1.get("d_steps"));
            assertEquals(3.0, m1.get("g_steps"));
            assertTrue(Double.isFinite(m1.get("loss")) && Double.isFinite(m1.get("g_loss")));
            gan.load(init);
            gan.fit(d, fit().seed(22).build(), init);
            assertFalse(s1.bitEquals(gan.state()), loss + ": another seed, another result");
        }
    }

    @Test
    void epochsSetTheNumberOfIterations() {
        Gan gan = new Gan(tiny(GanLoss.WGAN_GP, 0));
        ModelState init = gan.initialize(2);
        // 40 examples, batch 8: 5 D batches per epoch; 2 epochs = 10 D steps = ⌈10 / n_critic 2⌉ = 5 iterations
        Map<String, Double> m = gan.fit(data(40, 9, false), fit().localSteps(0).localEpochs(2).build(), init);
        assertEquals(5.0, m.get("steps"));
        assertEquals(10.0, m.get("d_steps"));
    }

    @Test
    void discriminatorOnlyFitLeavesGeneratorBitIdentical() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 0));
        ModelState init = gan.initialize(4);
        Map<String, Double> m = gan.fit(data(30, 1, false),
                fit().trainParts(Set.of(Gan.DISCRIMINATOR)).build(), init);
        ModelState after = gan.state();
        assertTrue(after.select(List.of(Gan.GENERATOR)).bitEquals(init.select(List.of(Gan.GENERATOR))));
        assertFalse(after.select(List.of(Gan.DISCRIMINATOR)).bitEquals(init.select(List.of(Gan.DISCRIMINATOR))));
        assertEquals(0.0, m.get("g_steps"));
        assertFalse(m.containsKey("g_loss"));
    }

    @Test
    void generatorOnlyFitLeavesDiscriminatorBitIdentical() {
        Gan gan = new Gan(tiny(GanLoss.WGAN_GP, 3));
        ModelState init = gan.initialize(4);
        gan.fit(data(30, 1, true), fit().trainParts(Set.of(Gan.GENERATOR)).build(), init);
        ModelState after = gan.state();
        assertTrue(after.select(List.of(Gan.DISCRIMINATOR)).bitEquals(init.select(List.of(Gan.DISCRIMINATOR))));
        assertFalse(after.select(List.of(Gan.GENERATOR)).bitEquals(init.select(List.of(Gan.GENERATOR))));
    }

    @Test
    void realLabelOutsideHalfToOneIsRejected() {
        for (double bad : new double[] {0.5, 1.01, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GanConfig.builder().realLabel(bad));
            assertTrue(e.getMessage().contains("realLabel"), e.getMessage());
        }
        assertEquals(0.9, GanConfig.builder().realLabel(0.9).build().realLabel());
    }

    @Test
    void unknownTrainPartIsRejected() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 0));
        ModelState init = gan.initialize(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gan.fit(data(10, 1, false), fit().trainParts(Set.of("decoder")).build(), init));
        assertTrue(e.getMessage().contains("decoder"));
    }

    /**
     * The first gradient of each part with μ &gt; 0 is the μ = 0 gradient plus exactly μ(w − anchor): both runs start
     * from the same parameters with the same noise, so their loss gradients are bit-identical. (G is checked with a
     * G-only fit, since in a full fit G's gradient follows a D step that the proximal term already changed.)
     */
    @Test
    void proximalTermIsAddedExactly() {
        for (GanLoss loss : GanLoss.values()) {
            Gan gan = new Gan(tiny(loss, 0));
            ModelState start = gan.initialize(7);
            ModelState anchor = new Gan(tiny(loss, 0)).initialize(8);
            Dataset d = data(20, 3, false);
            double mu = 0.3;
            for (Set<String> parts : List.of(Set.of(Gan.DISCRIMINATOR, Gan.GENERATOR), Set.of(Gan.GENERATOR))) {
                String first = parts.size() == 2 ? Gan.DISCRIMINATOR : Gan.GENERATOR;
                List<INDArray> plain = new ArrayList<>();
                List<INDArray> prox = new ArrayList<>();
                gan.load(start);
                gan.setGradientObserver((part, g) -> plain.add(g.dup()));
                gan.fit(d, fit().localSteps(1).trainParts(parts).build(), anchor);
                gan.load(start);
                gan.setGradientObserver((part, g) -> prox.add(g.dup()));
                gan.fit(d, fit().localSteps(1).trainParts(parts).proximalMu(mu).build(), anchor);
                assertEquals(parts.size() == 2 ? (loss == GanLoss.WGAN_GP ? 3 : 2) : 1, prox.size());
                assertFirstGradient(plain.get(0), prox.get(0), start.part(first), anchor.part(first), mu);
            }
        }
    }

    private static void assertFirstGradient(INDArray plain, INDArray prox, INDArray w, INDArray anchor, double mu) {
        INDArray expected = plain.add(w.sub(anchor).muli(mu));
        assertArrayEquals(expected.toFloatVector(), prox.toFloatVector(), 0f);
        assertFalse(plain.equals(prox));
    }

    @Test
    void proximalMuNeedsAnAnchor() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 0));
        gan.initialize(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gan.fit(data(10, 1, false), fit().proximalMu(0.1).build(), null));
        assertTrue(e.getMessage().contains("anchor"));
    }

    @Test
    void conditionalModelRejectsUnlabelledDataAndBadLabels() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 3));
        ModelState init = gan.initialize(1);
        assertThrows(IllegalArgumentException.class, () -> gan.fit(data(10, 1, false), fit().build(), init));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gan.sample(new int[] {0, 3}, 1));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Gan(tiny(GanLoss.NON_SATURATING_BCE, 0)).sample(new int[] {0}, 1));
    }

    /** With all parameters zero every logit is 0: D loss 2 ln 2, G loss ln 2, both scores 1/2. */
    @Test
    void evaluateAtZeroParametersGivesClosedFormLosses() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 0));
        Map<String, Double> m = gan.evaluate(data(300, 2, false), 1);
        assertEquals(2 * Math.log(2), m.get("d_loss"), 1e-12);
        assertEquals(m.get("d_loss"), m.get("loss"));
        assertEquals(Math.log(2), m.get("g_loss"), 1e-12);
        assertEquals(0.5, m.get("d_real"), 1e-12);
        assertEquals(0.5, m.get("d_fake"), 1e-12);
        assertEquals(300.0, m.get("numExamples"));
    }

    @Test
    void samplesAreInUnitIntervalAndDeterministic() {
        Gan gan = new Gan(tiny(GanLoss.NON_SATURATING_BCE, 3));
        gan.initialize(1);
        INDArray a = gan.sample(300, 4);
        assertArrayEquals(new long[] {300, 6}, a.shape());
        assertEquals(a, gan.sample(300, 4));
        assertTrue(a.minNumber().doubleValue() >= 0 && a.maxNumber().doubleValue() <= 1);
        int[] cyclic = new int[300];
        for (int i = 0; i < 300; i++) {
            cyclic[i] = i % 3;
        }
        assertEquals(a, gan.sample(cyclic, 4), "sample(n) cycles the labels 0, 1, 2, ...");
        cyclic[0] = 1;
        INDArray other = gan.sample(cyclic, 4);
        assertFalse(a.getRow(0).equals(other.getRow(0)), "the label changes the sample");
        assertEquals(a.getRow(1), other.getRow(1));
        assertFalse(a.equals(gan.sample(300, 5)));
    }

    /**
     * gradient() over 300 examples (two chunks) equals one pass over the same noise, drawn as the model draws it:
     * all G latents chunk by chunk, then per chunk D's latents and interpolation weights.
     */
    @Test
    void fullBatchGradientMatchesOnePassAndLeavesParametersUnchanged() {
        GanConfig cfg = tiny(GanLoss.WGAN_GP, 3);
        Gan gan = new Gan(cfg);
        ModelState init = gan.initialize(3);
        Dataset d = data(300, 8, true);
        FitInstructions ins = fit().seed(99).build();
        Map<String, INDArray> g = gan.gradient(d, ins);
        assertTrue(gan.state().bitEquals(init));
        assertEquals(List.of(Gan.GENERATOR, Gan.DISCRIMINATOR), new ArrayList<>(g.keySet()));

        GanNetworks ref = new GanNetworks(cfg, DataType.FLOAT);
        ref.generator.params().assign(init.part(Gan.GENERATOR));
        ref.discriminator.params().assign(init.part(Gan.DISCRIMINATOR));
        int[] y = d.labels();
        try (Random noise = Nd4j.getRandomFactory().getNewRandomInstance(Seeds.derive(99, "gan-gradient-noise"))) {
            INDArray z1 = Nd4j.randn(noise, 256, 3).castTo(DataType.FLOAT);
            INDArray z2 = Nd4j.randn(noise, 44, 3).castTo(DataType.FLOAT);
            ref.generatorGradient(Nd4j.vstack(z1, z2), y, 1.0 / 300, false);
            assertClose(ref.generator.gradient(), g.get(Gan.GENERATOR));
            INDArray fz1 = Nd4j.randn(noise, 256, 3).castTo(DataType.FLOAT);
            INDArray e1 = Nd4j.rand(noise, 256, 1).castTo(DataType.FLOAT);
            INDArray fz2 = Nd4j.randn(noise, 44, 3).castTo(DataType.FLOAT);
            INDArray e2 = Nd4j.rand(noise, 44, 1).castTo(DataType.FLOAT);
            INDArray fake = Nd4j.vstack(ref.sample(fz1, java.util.Arrays.copyOfRange(y, 0, 256)).dup(),
                    ref.sample(fz2, java.util.Arrays.copyOfRange(y, 256, 300)).dup());
            ref.discriminatorGradient(d.features(), y, fake, y, Nd4j.vstack(e1, e2), 1.0 / 300, 1.0 / 300, false);
            assertClose(ref.discriminator.gradient(), g.get(Gan.DISCRIMINATOR));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, INDArray> dOnly = gan.gradient(d, fit().seed(99).trainParts(Set.of(Gan.DISCRIMINATOR)).build());
        assertEquals(Set.of(Gan.DISCRIMINATOR), dOnly.keySet());
    }

    static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 0, "zero gradient");
        assertTrue(diff <= 1e-5 * scale, "max |diff| " + diff + " vs max |g| " + scale);
    }

    /** ~1000 bundled digits, a short local training: the discriminator learns to tell real from fake. */
    @Test
    void shortTrainingOnDigitsMovesLossesPlausibly() {
        Dataset digits = Digits.bundled().range(0, 1000);
        Gan gan = new Gan(GanConfig.builder().latentDim(32).generatorHidden(64).discriminatorHidden(64).build());
        ModelState init = gan.initialize(1);
        Map<String, Double> before = gan.evaluate(digits, 3);
        Map<String, Double> fit = gan.fit(digits, FitInstructions.builder().localSteps(40).batchSize(64)
                .learningRate(2e-3).seed(5).build(), init);
        Map<String, Double> after = gan.evaluate(digits, 3);
        assertTrue(Double.isFinite(fit.get("loss")) && Double.isFinite(fit.get("g_loss")));
        assertTrue(after.get("d_loss") < before.get("d_loss"),
                "D loss before " + before.get("d_loss") + " after " + after.get("d_loss"));
        assertTrue(after.get("d_real") > after.get("d_fake"), after.toString());
        assertFalse(after.get("g_loss").equals(before.get("g_loss")));
    }
}
