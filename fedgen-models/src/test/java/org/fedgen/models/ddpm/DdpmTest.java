package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
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
    void proximalTermAddsMuTimesDistanceToAnchor() {
        INDArray grad = Nd4j.createFromArray(0.5f, -1f, 2f);
        INDArray w = Nd4j.createFromArray(1f, 3f, -2f);
        INDArray anchor = Nd4j.createFromArray(0.5f, 4f, -2f);
        Ddpm.addProximal(grad, w, anchor, 0.25, Nd4j.create(DataType.FLOAT, 3));
        assertArrayEquals(new float[] {0.5f + 0.125f, -1f - 0.25f, 2f}, grad.toFloatVector(), 0f);
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

    @Test
    void partsNotTrainedStayUnchangedAndUnknownPartsAreRejected() {
        Dataset d = data(20, false);
        Ddpm model = tinyModel(0);
        ModelState start = model.initialize(1);
        Map<String, Double> m = model.fit(d, instr().trainParts(Set.of()).build(), start);
        assertTrue(m.containsKey("loss"));
        assertTrue(!model.state().bitEquals(start));
        model.load(start);
        assertThrows(IllegalArgumentException.class,
                () -> model.fit(d, instr().trainParts(Set.of("generator")).build(), start));
        assertThrows(IllegalArgumentException.class, () -> model.load(ModelState.builder(0)
                .part(Ddpm.PART, Nd4j.create(DataType.FLOAT, 3)).build()));
        assertThrows(IllegalArgumentException.class, () -> model.load(ModelState.builder(0)
                .part("decoder", Nd4j.create(DataType.FLOAT, 3)).build()));
    }

    @Test
    void gradientIsTheExampleWeightedMeanAndLeavesParamsUnchanged() {
        Dataset d = data(10, false);
        Ddpm model = tinyModel(0);
        ModelState start = model.initialize(1);
        FitInstructions ins = instr().batchSize(4).build();
        INDArray g = model.gradient(d, ins).get(Ddpm.PART);
        assertTrue(model.state().bitEquals(start));
        // the same gradient from the denoiser over the whole set in one call: chunks of 256 hold all 10 examples
        assertEquals(model.denoiser().params().length(), g.length());
        INDArray again = model.gradient(d, ins).get(Ddpm.PART);
        assertArrayEquals(g.toFloatVector(), again.toFloatVector(), 0f);
        assertTrue(g.norm2Number().doubleValue() > 0);
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
