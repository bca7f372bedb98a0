package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Classifier-free guidance: the null label, label dropout in training, and the guided prediction. */
class GuidanceTest {
    private static final int D = 6;

    private static MlpDenoiser conditionalNet() {
        MlpDenoiser net = new MlpDenoiser(D, new int[] {16}, 4, 3, Activation.SILU);
        net.initialize(5);
        // the output layer starts at zero; move it so predictions depend on the label
        net.params().addi(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(8), 1, net.params().length())
                .castTo(DataType.FLOAT).reshape(net.params().length()).subi(0.5).muli(0.2));
        return net;
    }

    @Test
    void noLabelLeavesOnlyTheTimeEmbedding() {
        Conditioning c = new Conditioning(4, 3);
        float[] none = c.build(new int[] {7}, new int[] {Conditioning.NO_LABEL}).toFloatVector();
        float[] two = c.build(new int[] {7}, new int[] {2}).toFloatVector();
        assertArrayEquals(Arrays.copyOf(two, 4), Arrays.copyOf(none, 4), 0f);
        assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(none, 4, 7), 0f);
        assertArrayEquals(new float[] {0, 0, 1}, Arrays.copyOfRange(two, 4, 7), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.build(new int[] {7}, new int[] {-2}));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }

    /** ε̃ = (1 + w) ε(x, t, y) − w ε(x, t, ∅) element by element; w = 0 is the conditional prediction. */
    @Test
    void guidedPredictionCombinesConditionalAndUnconditional() {
        MlpDenoiser net = conditionalNet();
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(4), 3, D).castTo(DataType.FLOAT);
        int[] t = {1, 20, 40};
        int[] y = {0, 1, 2};
        float[] cond = net.predict(x, t, y).dup().reshape(-1).toFloatVector();
        float[] none = net.predict(x, t, new int[] {-1, -1, -1}).dup().reshape(-1).toFloatVector();
        assertFalse(Arrays.equals(cond, none), "the label must change the prediction for the test to mean anything");
        double w = 2.5;
        float[] guided = new GuidedDenoiser(net, w).predict(x, t, y).dup().reshape(-1).toFloatVector();
        float[] expected = new float[cond.length];
        for (int i = 0; i < cond.length; i++) {
            expected[i] = (float) ((1 + w) * cond[i] - w * none[i]);
        }
        assertArrayEquals(expected, guided, 1e-5f);
        assertArrayEquals(cond, new GuidedDenoiser(net, 0).predict(x, t, y).dup().reshape(-1).toFloatVector(), 0f);
        assertThrows(UnsupportedOperationException.class, () -> new GuidedDenoiser(net, 1).lossAndGradient(x, t, y,
                x));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new GuidedDenoiser(net, -0.5));
        assertTrue(bad.getMessage().contains("-0.5"), bad.getMessage());
    }

    /** lo·T &le; t &le; hi·T, both ends included; ends outside [0, 1] or crossed are refused naming them. */
    @Test
    void intervalHoldsTheStepsBetweenItsFractionsOfT() {
        GuidanceInterval band = new GuidanceInterval(0.25, 0.5);
        assertFalse(band.contains(9, 40));
        assertTrue(band.contains(10, 40));
        assertTrue(band.contains(20, 40));
        assertFalse(band.contains(21, 40));
        assertTrue(GuidanceInterval.ALL.everywhere());
        assertFalse(band.everywhere());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GuidanceInterval(0.6,
                0.4));
        assertEquals("guidance interval needs 0 <= lo <= hi <= 1 (fractions of T), got 0.6,0.4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GuidanceInterval(-0.1, 0.4));
        assertThrows(IllegalArgumentException.class, () -> new GuidanceInterval(0.1, 1.5));
    }

    /**
     * With an interval, rows whose t is outside it get the conditional prediction's exact bits and rows inside it the
     * exact bits of guidance at every step.
     */
    @Test
    void outsideTheIntervalTheGuidedPredictionIsTheConditionalOne() {
        MlpDenoiser net = conditionalNet();
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(4), 3, D).castTo(DataType.FLOAT);
        int[] t = {1, 20, 40};
        int[] y = {0, 1, 2};
        float[] cond = net.predict(x, t, y).dup().reshape(-1).toFloatVector();
        float[] everywhere = new GuidedDenoiser(net, 2.5).predict(x, t, y).dup().reshape(-1).toFloatVector();
        // T = 40: [0.4, 0.6] holds t = 16..24, so only the middle row is guided
        INDArray mixed = new GuidedDenoiser(net, 2.5, new GuidanceInterval(0.4, 0.6), 40).predict(x, t, y);
        for (int i = 0; i < 3; i++) {
            float[] want = Arrays.copyOfRange(i == 1 ? everywhere : cond, i * D, (i + 1) * D);
            assertArrayEquals(want, mixed.getRow(i).toFloatVector(), 0f, "row " + i);
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(cond, D, 2 * D), Arrays.copyOfRange(everywhere, D, 2 * D)));
        float[] none = new GuidedDenoiser(net, 2.5, new GuidanceInterval(0.6, 0.9), 40)
                .predict(x, new int[] {1, 20, 22}, y).dup().reshape(-1).toFloatVector();
        assertArrayEquals(net.predict(x, new int[] {1, 20, 22}, y).dup().reshape(-1).toFloatVector(), none, 0f);
        assertArrayEquals(everywhere, new GuidedDenoiser(net, 2.5, new GuidanceInterval(0, 1), 40).predict(x, t, y)
                .dup().reshape(-1).toFloatVector(), 0f);
    }

    /**
     * Sampling: an interval that holds none of DDIM's steps gives the unguided conditional sampler's bits, the interval
     * (0, 1) the bits of guidance without an interval, and one that holds some of the steps neither (compared before
     * the final clipping to [−1, 1], which the small random network saturates).
     */
    @Test
    void guidanceIntervalSamplingMatchesThePlainAndTheFullyGuidedSamplerAtItsEnds() {
        MlpDenoiser net = conditionalNet();
        // T = 40, DDIM 5: τ = 1, 11, 21, 30, 40
        assertArrayEquals(new int[] {1, 11, 21, 30, 40}, new DdimSampler(5).timesteps(40));
        float[] plain = unclipped(net, 0, GuidanceInterval.ALL);
        float[] full = unclipped(net, 3, GuidanceInterval.ALL);
        assertArrayEquals(plain, unclipped(net, 3, new GuidanceInterval(0.8, 0.95)), 0f);
        assertArrayEquals(full, unclipped(net, 3, new GuidanceInterval(0, 1)), 0f);
        // [0.025, 0.75] holds τ = 1, 11, 21, 30: the same as everywhere but at τ = 40
        float[] band = unclipped(net, 3, new GuidanceInterval(0.025, 0.75));
        assertFalse(Arrays.equals(band, plain));
        assertFalse(Arrays.equals(band, full));
    }

    /** Each shape's weight at chosen steps of T = 40, around w = 4, exactly. */
    @Test
    void scheduleWeightsFollowTheirShapes() {
        assertEquals(4.0, GuidanceSchedule.CONSTANT.weight(4, 1, 40));
        assertEquals(4.0, GuidanceSchedule.CONSTANT.weight(4, 40, 40));
        GuidanceSchedule step = GuidanceSchedule.parse("step:0.5,1.5");
        assertEquals(4.0, step.weight(4, 20, 40));
        assertEquals(1.5, step.weight(4, 21, 40));
        assertEquals(1.5, step.weight(4, 40, 40));
        GuidanceSchedule linear = GuidanceSchedule.parse("linear:2");
        assertEquals(2.0, linear.weight(4, 40, 40));
        assertEquals(3.0, linear.weight(4, 20, 40));
        assertEquals(3.95, linear.weight(4, 1, 40), 1e-15);
        GuidanceSchedule cosine = GuidanceSchedule.parse("cosine:2");
        assertEquals(2.0, cosine.weight(4, 40, 40));
        assertEquals(3.0, cosine.weight(4, 20, 40), 1e-15);
        // the half cosine stays nearer w than the line at low noise: 4 - 2 (1 - cos(π/4)) / 2
        assertEquals(4 - (1 - Math.cos(Math.PI / 4)), cosine.weight(4, 10, 40), 1e-15);
        assertTrue(cosine.weight(4, 10, 40) > linear.weight(4, 10, 40));
        // Wang et al.'s increasing linear schedule of mean w = 3: 0 at t = T, 2w at t = 0
        assertEquals(3.0, GuidanceSchedule.parse("linear:0").weight(6, 20, 40));
    }

    @Test
    void scheduleSpellingsRoundTripAndBadOnesAreNamed() {
        assertEquals(GuidanceSchedule.CONSTANT, GuidanceSchedule.parse("constant"));
        assertEquals("step:0.9,2.0", GuidanceSchedule.parse("step:0.9,2").toString());
        assertEquals("linear:1.5", GuidanceSchedule.parse(" Linear:1.5").toString());
        assertEquals("cosine:0.0", GuidanceSchedule.parse("cosine:0").toString());
        for (String s : new String[] {"constant", "step:0.9,2.0", "linear:1.5", "cosine:0.0"}) {
            assertEquals(s, GuidanceSchedule.parse(s).toString());
        }
        assertEquals("unknown guidance schedule 'wobble'; valid: constant, step:S,W, linear:W, cosine:W",
                assertThrows(IllegalArgumentException.class, () -> GuidanceSchedule.parse("wobble")).getMessage());
        assertEquals("guidance schedule 'step:0.5' needs 2 numbers after the shape, got 1",
                assertThrows(IllegalArgumentException.class, () -> GuidanceSchedule.parse("step:0.5")).getMessage());
        assertEquals("guidance schedule 'linear:x': 'x' is not a number",
                assertThrows(IllegalArgumentException.class, () -> GuidanceSchedule.parse("linear:x")).getMessage());
        assertEquals("guidance schedule step needs 0 <= S <= 1 (a fraction of T), got 1.5",
                assertThrows(IllegalArgumentException.class, () -> GuidanceSchedule.parse("step:1.5,2"))
                        .getMessage());
        assertEquals("guidance schedule weight must be finite and >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> GuidanceSchedule.parse("cosine:-1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GuidanceSchedule.parse("constant:1"));
    }

    /**
     * A row gets the bits of guidance at every step with the weight the schedule gives its t, and the conditional bits
     * where that weight is 0 or t is outside the interval; the constant schedule gives the bits without one.
     */
    @Test
    void scheduledPredictionGivesEachRowTheBitsOfItsOwnWeight() {
        MlpDenoiser net = conditionalNet();
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(4), 3, D).castTo(DataType.FLOAT);
        int[] t = {1, 20, 40};
        int[] y = {0, 1, 2};
        float[] cond = net.predict(x, t, y).dup().reshape(-1).toFloatVector();
        float[] at25 = new GuidedDenoiser(net, 2.5).predict(x, t, y).dup().reshape(-1).toFloatVector();
        float[] at1 = new GuidedDenoiser(net, 1).predict(x, t, y).dup().reshape(-1).toFloatVector();
        // T = 40, step above 0.5 (t > 20): t = 1 and 20 get w = 2.5, t = 40 gets 1
        INDArray stepped = new GuidedDenoiser(net, 2.5, GuidanceInterval.ALL, GuidanceSchedule.parse("step:0.5,1"),
                40).predict(x, t, y);
        float[][] want = {at25, at25, at1};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Arrays.copyOfRange(want[i], i * D, (i + 1) * D), stepped.getRow(i).toFloatVector(), 0f,
                    "row " + i);
        }
        // weight 0 above 0.5, and the interval [0.25, 1] leaves t = 1 out: only t = 20 is guided
        INDArray gated = new GuidedDenoiser(net, 2.5, new GuidanceInterval(0.25, 1),
                GuidanceSchedule.parse("step:0.5,0"), 40).predict(x, t, y);
        float[][] want2 = {cond, at25, cond};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Arrays.copyOfRange(want2[i], i * D, (i + 1) * D), gated.getRow(i).toFloatVector(), 0f,
                    "row " + i);
        }
        assertArrayEquals(at25, new GuidedDenoiser(net, 2.5, GuidanceInterval.ALL, GuidanceSchedule.CONSTANT, 40)
                .predict(x, t, y).dup().reshape(-1).toFloatVector(), 0f);
        // one weight for the whole batch (the samplers' case), here from a ramp at its top: guidance with 1 throughout
        int[] top = {40, 40, 40};
        assertArrayEquals(new GuidedDenoiser(net, 1).predict(x, top, y).dup().reshape(-1).toFloatVector(),
                new GuidedDenoiser(net, 2.5, GuidanceInterval.ALL, GuidanceSchedule.parse("linear:1"), 40)
                        .predict(x, top, y).dup().reshape(-1).toFloatVector(), 0f);
        assertFalse(Arrays.equals(at1, at25));
    }

    /**
     * Sampling: the constant schedule gives the bits of no schedule; a step above 0 (every step) with weight W those
     * of constant guidance W, a step above 1 (no step) those of constant w; with w = 0 a step that guides only the top
     * step τ = 40 gives neither the plain nor the fully guided bits; an unconditional denoiser refuses a schedule.
     */
    @Test
    void scheduledSamplingMatchesConstantGuidanceWhereTheScheduleIsConstant() {
        MlpDenoiser net = conditionalNet();
        float[] plain = unclipped(net, 0, GuidanceInterval.ALL);
        float[] full3 = unclipped(net, 3, GuidanceInterval.ALL);
        float[] full1 = unclipped(net, 1, GuidanceInterval.ALL);
        assertArrayEquals(full3, unclipped(net, 3, GuidanceInterval.ALL, GuidanceSchedule.CONSTANT), 0f);
        assertArrayEquals(full1, unclipped(net, 3, GuidanceInterval.ALL, GuidanceSchedule.parse("step:0,1")), 0f);
        assertArrayEquals(full3, unclipped(net, 3, GuidanceInterval.ALL, GuidanceSchedule.parse("step:1,1")), 0f);
        assertArrayEquals(plain, unclipped(net, 0, GuidanceInterval.ALL, GuidanceSchedule.parse("step:0.8,0")), 0f);
        assertArrayEquals(plain, unclipped(net, 3, new GuidanceInterval(0.8, 0.95), GuidanceSchedule.parse(
                "linear:1")), 0f);
        float[] topOnly = unclipped(net, 0, GuidanceInterval.ALL, GuidanceSchedule.parse("step:0.8,3"));
        assertFalse(Arrays.equals(topOnly, plain));
        assertFalse(Arrays.equals(topOnly, full3));
        assertEquals(GuidanceSchedule.parse("step:0.8,3"), Ddpm.builder(net).guidanceSchedule(GuidanceSchedule.parse(
                "step:0.8,3")).build().guidanceSchedule());
        MlpDenoiser unconditional = new MlpDenoiser(D, new int[] {4}, 4, 0, Activation.SILU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ddpm.builder(unconditional)
                .guidanceSchedule(GuidanceSchedule.parse("linear:2")).build());
        assertEquals("label dropout 0.0 and guidance 0.0 (schedule linear:2.0) need a conditional denoiser "
                + "(numClasses > 0)", e.getMessage());
    }

    /** The DDIM-5 sampler's output for labels 0, 1, 2, 0 and seed 17, before {@link Ddpm} clips it. */
    private static float[] unclipped(MlpDenoiser net, double w, GuidanceInterval interval) {
        return unclipped(net, w, interval, null);
    }

    /** As above with a guidance schedule (null: the builder's default). */
    private static float[] unclipped(MlpDenoiser net, double w, GuidanceInterval interval,
            GuidanceSchedule weights) {
        Ddpm.Builder b = Ddpm.builder(net).schedule(NoiseSchedule.linear(40)).sampler(new DdimSampler(5)).guidance(w)
                .guidanceInterval(interval);
        Ddpm model = (weights == null ? b : b.guidanceSchedule(weights)).build();
        DdimSampler ddim = new DdimSampler(5);
        ddim.timesteps(40);
        float[][] out = new float[1][];
        model.sample(new int[] {0, 1, 2, 0}, 17, new DiffusionSampler() {
            @Override
            public INDArray run(Denoiser d, NoiseSchedule schedule, INDArray xT, int[] labels,
                    org.nd4j.linalg.api.rng.Random rng) {
                INDArray x = ddim.run(d, schedule, xT, labels, rng);
                out[0] = x.dup().reshape(-1).toFloatVector();
                return x;
            }

            @Override
            public int evaluations(NoiseSchedule schedule) {
                return ddim.evaluations(schedule);
            }
        });
        return out[0];
    }

    /** A real denoiser that records the labels training hands it. */
    private static final class LabelRecorder implements Denoiser {
        final MlpDenoiser net = conditionalNet();
        final List<Integer> seen = new ArrayList<>();

        public int dataDim() {
            return net.dataDim();
        }

        public int numClasses() {
            return net.numClasses();
        }

        public INDArray params() {
            return net.params();
        }

        public INDArray gradient() {
            return net.gradient();
        }

        public void initialize(long seed) {
            net.initialize(seed);
        }

        public INDArray predict(INDArray xt, int[] t, int[] labels) {
            return net.predict(xt, t, labels);
        }

        public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
            for (int y : labels) {
                seen.add(y);
            }
            return net.lossAndGradient(xt, t, labels, eps);
        }
    }

    private static List<Integer> trainingLabels(double p, long seed) {
        LabelRecorder rec = new LabelRecorder();
        Ddpm model = Ddpm.builder(rec).schedule(NoiseSchedule.linear(40)).sampler(new DdimSampler(5))
                .labelDropout(p).build();
        int n = 50;
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), n, D).castTo(DataType.FLOAT);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        model.fit(new Dataset(x, y, new int[] {D}), FitInstructions.builder().localSteps(80).batchSize(25)
                .learningRate(1e-3).seed(seed).build(), null);
        return rec.seen;
    }

    /**
     * 2 000 training labels with p = 0.25: the share replaced by the null label is within 4 standard deviations
     * (0.039) of p, the others are the data's labels, and the same seed drops the same labels.
     */
    @Test
    void labelDropoutReplacesTheExpectedShareOfLabelsReproducibly() {
        List<Integer> seen = trainingLabels(0.25, 11);
        assertEquals(2000, seen.size());
        long dropped = seen.stream().filter(v -> v == Conditioning.NO_LABEL).count();
        assertEquals(0.25, dropped / 2000.0, 0.039);
        assertTrue(seen.stream().allMatch(v -> v >= -1 && v <= 2));
        assertEquals(seen, trainingLabels(0.25, 11));
        assertTrue(trainingLabels(0.0, 11).stream().noneMatch(v -> v == Conditioning.NO_LABEL));
    }

    @Test
    void dropoutAndGuidanceNeedAConditionalDenoiserAndValidValues() {
        MlpDenoiser unconditional = new MlpDenoiser(D, new int[] {4}, 4, 0, Activation.SILU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ddpm.builder(unconditional).guidance(2).build());
        assertTrue(e.getMessage().contains("conditional"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ddpm.builder(unconditional).labelDropout(1))
                .getMessage().contains("1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Ddpm.builder(unconditional).guidance(Double.NaN)).getMessage().contains("NaN"));
    }

    /** Guided sampling is deterministic by seed and differs from unguided sampling of the same weights. */
    @Test
    void guidedSamplingChangesSamplesAndIsReproducible() {
        MlpDenoiser net = conditionalNet();
        Ddpm plain = Ddpm.builder(net).schedule(NoiseSchedule.linear(40)).sampler(new DdimSampler(5)).build();
        Ddpm guided = Ddpm.builder(net).schedule(NoiseSchedule.linear(40)).sampler(new DdimSampler(5))
                .guidance(3).build();
        int[] labels = {0, 1, 2, 0};
        float[] a = guided.sample(labels, 17).reshape(-1).toFloatVector();
        assertArrayEquals(a, guided.sample(labels, 17).reshape(-1).toFloatVector(), 0f);
        assertFalse(Arrays.equals(a, plain.sample(labels, 17).reshape(-1).toFloatVector()));
    }
}
