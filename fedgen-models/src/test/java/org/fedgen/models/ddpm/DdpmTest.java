package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DdpmTest {

    private static Ddpm tinyModel(int numClasses) {
        return Ddpm.builder(new MlpDenoiser(6, new int[] {16}, 4, numClasses, Activation.SILU))
                .schedule(NoiseSchedule.linear(40)).sampler(new DdimSampler(5)).build();
    }

    private static Dataset data(int n, boolean labels) {
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), n, 6).castTo(DataType.FLOAT);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return new Dataset(x, labels ? y : null, new int[] {6});
    }

    private static FitInstructions.Builder instr() {
        return FitInstructions.builder().localSteps(5).batchSize(8).learningRate(1e-2).seed(21);
    }

    /**
     * Min-SNR timesteps change training (a different t sequence, hence different weights) but not the reported
     * ε-loss, which always averages over uniform t so that runs with different weightings stay comparable.
     */
    @Test
    void minSnrChangesTrainingButNotTheEvaluatedLoss() {
        Dataset d = data(20, false);
        Ddpm uniform = tinyModel(0);
        Ddpm weighted = Ddpm.builder(new MlpDenoiser(6, new int[] {16}, 4, 0, Activation.SILU))
                .schedule(NoiseSchedule.linear(40)).sampler(new DdimSampler(5)).minSnrGamma(1).build();
        ModelState start = uniform.initialize(1);
        weighted.load(start);
        assertEquals(uniform.evaluate(d, 9).get("loss"), weighted.evaluate(d, 9).get("loss"), 0.0);
        uniform.fit(d, instr().build(), null);
        weighted.fit(d, instr().build(), null);
        assertTrue(!uniform.state().part(Ddpm.PART).equals(weighted.state().part(Ddpm.PART)),
                "min-SNR training must draw other timesteps than uniform training");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ddpm.builder(new MlpDenoiser(6, new int[] {16}, 4, 0, Activation.SILU)).minSnrGamma(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void proximalTermChangesTrainingOnlyWhenAwayFromTheAnchor() {
        Dataset d = data(20, false);
        Ddpm model = tinyModel(0);
        ModelState start = model.initialize(1);
        // at the anchor the term is 0 on the first step: identical to plain training
        model.fit(d, instr().localSteps(1).build(), null);
        ModelState plain = model.state();
        model.load(start);
        model.fit(d, instr().localSteps(1).proximalMu(1.0).build(), start);
        assertArrayEquals(plain.part(Ddpm.PART).toFloatVector(), model.state().part(Ddpm.PART).toFloatVector(), 0f);
        // with a strong pull towards a far anchor, training ends closer to it than without
        INDArray far = start.part(Ddpm.PART).add(1.0);
        ModelState anchor = ModelState.builder(0).part(Ddpm.PART, far).build();
        model.load(start);
        model.fit(d, instr().localSteps(20).build(), null);
        double distPlain = model.state().part(Ddpm.PART).distance2(far);
        model.load(start);
        model.fit(d, instr().localSteps(20).proximalMu(100).build(), anchor);
        double distProx = model.state().part(Ddpm.PART).distance2(far);
        assertTrue(distProx < distPlain, distProx + " vs " + distPlain);
    }

    @Test
    void fitIsReproducibleAndReportsLossAndSteps() {
        Dataset d = data(20, false);
        Ddpm model = tinyModel(0);
        ModelState start = model.initialize(1);
        Map<String, Double> m1 = model.fit(d, instr().build(), start);
        ModelState after1 = model.state();
        model.load(start);
        Map<String, Double> m2 = model.fit(d, instr().build(), start);
        assertTrue(after1.bitEquals(model.state()));
        assertEquals(m1, m2);
        assertEquals(5.0, m1.get("steps"));
        assertTrue(m1.get("loss") > 0);
        // epochs mode: ceil(20 / 8) = 3 steps per epoch
        model.load(start);
        assertEquals(6.0, model.fit(d, instr().localSteps(0).localEpochs(2).build(), start).get("steps"));
    }

    /**
     * A DDPM has the one part {@value Ddpm#PART}, so a part set can only name it or be empty (both train it, to the
     * same bits) or name a part the model lacks, which is refused before anything changes; a bad state is refused by
     * load without touching the parameters.
     */
    @Test
    void theOnlyPartNamedTrainsLikeTheEmptySetAndUnknownPartsAreRejectedWithoutChange() {
        Dataset d = data(20, false);
        Ddpm model = tinyModel(0);
        ModelState start = model.initialize(1);
        Map<String, Double> all = model.fit(d, instr().trainParts(Set.of()).build(), start);
        ModelState trainedAll = model.state();
        assertFalse(trainedAll.bitEquals(start));
        model.load(start);
        Map<String, Double> named = model.fit(d, instr().trainParts(Set.of(Ddpm.PART)).build(), start);
        assertTrue(model.state().bitEquals(trainedAll));
        assertEquals(all, named);
        model.load(start);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(d, instr().trainParts(Set.of(Ddpm.PART, "generator")).build(), start));
        assertTrue(e.getMessage().contains("'generator'") && e.getMessage().contains("[denoiser]"), e.getMessage());
        assertTrue(model.state().bitEquals(start));
        assertThrows(IllegalArgumentException.class, () -> model.load(ModelState.builder(0)
                .part(Ddpm.PART, Nd4j.create(DataType.FLOAT, 3)).build()));
        assertThrows(IllegalArgumentException.class, () -> model.load(ModelState.builder(0)
                .part("decoder", Nd4j.create(DataType.FLOAT, 3)).build()));
        assertTrue(model.state().bitEquals(start));
    }

    /**
     * gradient() over 300 examples runs in chunks of 256 and 44 weighted by their sizes; the reference draws the same
     * t (one stream over all examples) and ε (one N(0, 1) fill per chunk), forms x_t itself and takes the denoiser's
     * gradient of the mean loss over all 300 examples in one pass.
     */
    @Test
    void gradientIsTheExampleWeightedMeanAndLeavesParamsUnchanged() {
        int n = 300;
        Dataset d = data(n, false);
        Ddpm model = tinyModel(0);
        ModelState start = model.initialize(1);
        FitInstructions ins = instr().batchSize(4).build();
        INDArray g = model.gradient(d, ins).get(Ddpm.PART);
        assertTrue(model.state().bitEquals(start));

        SplittableRandom stepRng = new SplittableRandom(Seeds.derive(21, "ddpm-steps"));
        TimestepDistribution uniform = TimestepDistribution.uniform(40);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = uniform.sample(stepRng);
        }
        INDArray eps;
        try (org.nd4j.linalg.api.rng.Random r = Nd4j.getRandomFactory().getNewRandomInstance(
                Seeds.derive(21, "ddpm-noise"))) {
            INDArray e1 = Nd4j.randn(r, 256, 6).castTo(DataType.FLOAT);
            INDArray e2 = Nd4j.randn(r, 44, 6).castTo(DataType.FLOAT);
            eps = Nd4j.vstack(e1, e2);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        NoiseSchedule schedule = NoiseSchedule.linear(40);
        float[][] xt = new float[n][6];
        for (int i = 0; i < n; i++) {
            double ab = schedule.alphaBar(t[i]);
            for (int j = 0; j < 6; j++) {
                double x0 = 2.0 * d.features().getDouble(i, j) - 1.0;
                xt[i][j] = (float) (Math.sqrt(ab) * x0 + Math.sqrt(1 - ab) * eps.getDouble(i, j));
            }
        }
        Denoiser ref = new MlpDenoiser(6, new int[] {16}, 4, 0, Activation.SILU);
        ref.params().assign(start.part(Ddpm.PART));
        ref.lossAndGradient(Nd4j.createFromArray(xt), t, null, eps);
        assertClose(ref.gradient(), g);
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 0, "zero gradient");
        assertTrue(diff <= 1e-5 * scale, "max |diff| " + diff + " vs max |g| " + scale);
    }

    @Test
    void evaluateAndSampleHaveTheContractShapes() {
        Dataset d = data(10, false);
        Ddpm model = tinyModel(0);
        model.initialize(1);
        Map<String, Double> e = model.evaluate(d, 4);
        assertEquals(10.0, e.get("numExamples"));
        assertEquals(e, model.evaluate(d, 4));
        INDArray s = model.sample(7, 9);
        assertArrayEquals(new long[] {7, 6}, s.shape());
        assertTrue(s.minNumber().doubleValue() >= 0 && s.maxNumber().doubleValue() <= 1);
        assertArrayEquals(s.dup().data().asFloat(), model.sample(7, 9).dup().data().asFloat(), 0f);
        INDArray anc = model.sample(3, 9, new AncestralSampler());
        assertTrue(anc.minNumber().doubleValue() >= 0 && anc.maxNumber().doubleValue() <= 1);
        assertThrows(IllegalArgumentException.class, () -> model.sample(new int[] {0}, 1));
    }

    @Test
    void conditionalModelTrainsOnLabelsAndSamplesPerLabel() {
        Ddpm model = tinyModel(3);
        model.initialize(2);
        assertThrows(IllegalArgumentException.class, () -> model.fit(data(10, false), instr().build(), null));
        assertEquals(5.0, model.fit(data(10, true), instr().build(), null).get("steps"));
        INDArray s = model.sample(new int[] {2, 0, 1, 1}, 5);
        assertArrayEquals(new long[] {4, 6}, s.shape());
        assertThrows(IllegalArgumentException.class, () -> model.sample(new int[] {3}, 5));
    }

    @Test
    void ddimWithMoreStepsThanTheScheduleIsRejectedAtBuild() {
        assertThrows(IllegalArgumentException.class, () -> Ddpm.builder(new MlpDenoiser(6, new int[] {4}, 4, 0,
                Activation.SILU)).schedule(NoiseSchedule.linear(30)).sampler(new DdimSampler(31)).build());
    }
}
