package org.fedgen.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parameters, evaluation, sampling and input checks of {@link Vae} on tiny configurations. */
class VaeTest {
    private static final VaeConfig TINY = VaeConfig.builder().inputDim(6).hiddenDim(5).latentDim(2).build();
    private static final VaeConfig TINY_COND = TINY.toBuilder().numClasses(3).build();

    private static Dataset data(int n, int d, boolean labelled, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                x[i][p] = r.nextInt(2);
            }
            labels[i] = i % 3;
        }
        return new Dataset(Nd4j.createFromArray(x), labelled ? labels : null, new int[] {d});
    }

    @Test
    void weightMatricesAndBiasesAreViewsOfTheFlatPartVectors() {
        Vae vae = new Vae(TINY_COND);
        VaeLayout l = vae.layout();
        for (DenseView layer : List.of(l.encHidden, l.encMean, l.encLogVar, l.decHidden, l.decOutput)) {
            INDArray flat = layer == l.decHidden || layer == l.decOutput ? l.decoder : l.encoder;
            int i = (int) layer.fanIn - 1;
            int j = (int) layer.fanOut - 1;
            long wIndex = layer.offset + i * layer.fanOut + j;
            flat.putScalar(wIndex, 3.25f);
            assertEquals(3.25f, layer.weights.getFloat(i, j), "flat -> W");
            layer.weights.putScalar(0, 1, -1.5f);
            assertEquals(-1.5f, flat.getFloat(layer.offset + 1), "W -> flat");
            layer.bias.putScalar(j, 7f);
            assertEquals(7f, flat.getFloat(layer.offset + layer.fanIn * layer.fanOut + j), "b -> flat");
        }
        // Label rows follow the data rows: row 6 of the encoder's hidden W is the first label row.
        l.encHidden.labelWeights.putScalar(0, 2, 0.5f);
        assertEquals(0.5f, l.encoder.getFloat(6 * 5 + 2));
        // load() writes through the same views.
        ModelState s = vae.initialize(4);
        float[] enc = s.part(Vae.ENCODER).toFloatVector();
        assertEquals(enc[2 * 5 + 3], l.encHidden.weights.getFloat(2, 3));
        assertEquals(TINY_COND.encoderSize(), enc.length);
    }

    @Test
    void configSizesMatchTheLayerShapes() {
        VaeConfig c = VaeConfig.builder().build();
        assertEquals(784 * 400 + 400 + 2 * (400 * 20 + 20), c.encoderSize());
        assertEquals(20 * 400 + 400 + 400 * 784 + 784, c.decoderSize());
        assertEquals((6 + 3) * 5 + 5 + 2 * (5 * 2 + 2), TINY_COND.encoderSize());
        assertEquals((2 + 3) * 5 + 5 + 5 * 6 + 6, TINY_COND.decoderSize());
        ModelState s = new Vae(c).state();
        assertEquals(List.of(Vae.ENCODER, Vae.DECODER), List.copyOf(s.partNames()));
        assertEquals(c.encoderSize() + c.decoderSize(), s.numParams());
    }

    @Test
    void configRejectsBadValuesNamingThem() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> VaeConfig.builder().latentDim(0)),
                "latentDim", "0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> VaeConfig.builder().beta(-1)), "beta",
                "-1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> VaeConfig.builder().adamBeta2(1.0)),
                "adamBeta2", "1.0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> VaeConfig.builder().numClasses(-2)),
                "numClasses", "-2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> VaeConfig.builder().adamEpsilon(0)),
                "adamEpsilon", "0");
    }

    @Test
    void initializeIsSeededHeGlorotUniformWithZeroBiases() {
        Vae a = new Vae(TINY);
        ModelState s1 = a.initialize(7);
        ModelState s2 = new Vae(TINY).initialize(7);
        assertTrue(s1.bitEquals(s2));
        assertFalse(s1.bitEquals(new Vae(TINY).initialize(8)));
        VaeLayout l = a.layout();
        assertEquals(0.0, l.encHidden.bias.norm2Number().doubleValue());
        assertEquals(0.0, l.decOutput.bias.norm2Number().doubleValue());
        assertTrue(l.encHidden.weights.amaxNumber().doubleValue() <= Math.sqrt(6.0 / 6));
        assertTrue(l.decOutput.weights.amaxNumber().doubleValue() <= Math.sqrt(6.0 / (5 + 6)));
        assertTrue(l.decOutput.weights.amaxNumber().doubleValue() > 0.5 * Math.sqrt(6.0 / (5 + 6)));
    }

    @Test
    void loadRejectsUnknownPartsAndWrongLengthsNamingBoth() {
        Vae vae = new Vae(TINY);
        ModelState bad = ModelState.builder(0).part("generator", Nd4j.zeros(DataType.FLOAT, 3)).build();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.load(bad)), "generator", "encoder");
        ModelState shortEnc = ModelState.builder(0).part(Vae.ENCODER, Nd4j.ones(DataType.FLOAT, 3)).build();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.load(shortEnc)), "encoder", "3",
                String.valueOf(TINY.encoderSize()));
        // A state with only the decoder leaves the encoder as it is.
        ModelState init = vae.initialize(1);
        INDArray dec = Nd4j.ones(DataType.FLOAT, TINY.decoderSize());
        vae.load(ModelState.builder(0).part(Vae.DECODER, dec).build());
        assertTrue(vae.state().select(Set.of(Vae.ENCODER)).bitEquals(init.select(Set.of(Vae.ENCODER))));
        assertEquals(dec, vae.state().part(Vae.DECODER));
    }

    /**
     * Closed form: with every weight zero, mu = encoder mean bias m, logvar = log-variance bias s, and logits = output
     * bias c for every example, whatever the noise; so KL = 1/2 sum_j (m_j^2 + e^{s_j} - 1 - s_j) and
     * recon = mean over examples of sum_p (max(c_p, 0) - c_p x_p + log(1 + e^{-|c_p|})). Logits of +-60 check that
     * the BCE does not overflow.
     */
    @Test
    void evaluateMatchesTheClosedFormOfAConstantModel() {
        Vae vae = new Vae(TINY);
        Dataset d = data(7, 6, false, 2);
        Map<String, Double> zero = vae.evaluate(d, 1);
        assertEquals(-6 * Math.log(2), zero.get("elbo"), 1e-5);
        assertEquals(0.0, zero.get("kl"), 1e-7);
        assertEquals(7.0, zero.get("numExamples"));

        double[] m = {0.5, -1.0};
        double[] s = {0.3, -0.7};
        double[] c = {60, -60, 0.25, -2, 3, 0};
        VaeLayout l = vae.layout();
        for (int j = 0; j < 2; j++) {
            l.encMean.bias.putScalar(j, (float) m[j]);
            l.encLogVar.bias.putScalar(j, (float) s[j]);
        }
        for (int p = 0; p < 6; p++) {
            l.decOutput.bias.putScalar(p, (float) c[p]);
        }
        double kl = 0;
        for (int j = 0; j < 2; j++) {
            kl += 0.5 * (m[j] * m[j] + Math.exp(s[j]) - 1 - s[j]);
        }
        double[][] x = d.features().toDoubleMatrix();
        double recon = 0;
        for (double[] row : x) {
            for (int p = 0; p < 6; p++) {
                recon += Math.max(c[p], 0) - c[p] * row[p] + Math.log1p(Math.exp(-Math.abs(c[p])));
            }
        }
        recon /= x.length;
        Map<String, Double> ev = vae.evaluate(d, 9);
        assertEquals(kl, ev.get("kl"), 1e-5);
        assertEquals(recon, ev.get("recon"), 1e-4);
        assertEquals(-(kl + recon), ev.get("elbo"), 1e-4);
    }

    @Test
    void samplesAreSeededBernoulliMeansInTheUnitInterval() {
        Vae vae = new Vae(TINY);
        INDArray zero = vae.sample(4, 1);
        assertArrayEquals(new long[] {4, 6}, zero.shape());
        assertEquals(Nd4j.valueArrayOf(new long[] {4, 6}, 0.5f), zero, "zero decoder gives sigmoid(0)");
        vae.initialize(3);
        vae.layout().decOutput.bias.putScalar(0, 40f);
        INDArray a = vae.sample(50, 11);
        assertEquals(a, vae.sample(50, 11));
        assertFalse(a.equals(vae.sample(50, 12)));
        assertTrue(a.minNumber().doubleValue() >= 0 && a.maxNumber().doubleValue() <= 1);
        assertEquals(1.0, a.getColumn(0).minNumber().doubleValue(), 1e-6);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.sample(new int[] {1}, 1)),
                "conditional");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.sample(0, 1)), "0");
    }

    @Test
    void conditionalModelNeedsLabelsInRangeAndSamplesPerLabel() {
        Vae vae = new Vae(TINY_COND);
        vae.initialize(2);
        FitInstructions in = FitInstructions.builder().localSteps(3).batchSize(4).seed(1).build();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.fit(data(8, 6, false, 1), in, null)),
                "labelled", "3 classes");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.evaluate(data(8, 6, false, 1), 1)),
                "labelled");
        Dataset wrong = new Dataset(Nd4j.zeros(DataType.FLOAT, 2, 6), new int[] {0, 5}, new int[] {6});
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.fit(wrong, in, null)), "label 5",
                "example 1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.sample(new int[] {3}, 1)), "label 3");
        assertEquals(3.0, vae.fit(data(8, 6, true, 1), in, null).get("steps"));

        // The label changes the decoder input: distinct label rows give distinct samples for the same noise.
        vae.layout().decHidden.labelWeights.assign(Nd4j.createFromArray(new float[][] {
                {2, -1, 0.5f, 1, -2}, {-2, 1, 1, -1, 2}, {0, 0, 3, 0, 0}}));
        INDArray s0 = vae.sample(new int[] {0, 0}, 5);
        INDArray s1 = vae.sample(new int[] {1, 1}, 5);
        assertFalse(s0.equals(s1));
        assertEquals(vae.sample(new int[] {0, 1, 2, 0}, 5), vae.sample(4, 5), "sample(n) cycles the labels");
    }

    @Test
    void fitAndGradientRejectBadInputNamingIt() {
        Vae vae = new Vae(TINY);
        FitInstructions in = FitInstructions.builder().localSteps(1).build();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.fit(data(4, 5, false, 1), in, null)),
                "5 features", "6");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.fit(data(4, 6, false, 1),
                in.toBuilder().trainParts(Set.of("generator")).build(), null)), "generator", "encoder");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.fit(data(4, 6, false, 1),
                in.toBuilder().proximalMu(0.1).build(), null)), "anchor");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> vae.fit(data(4, 6, false, 1),
                FitInstructions.builder().localEpochs(0).build(), null)), "localEpochs");
    }

    /**
     * With a log-variance bias of -60 the noise scale is e^-30, so the loss no longer depends on the noise: the
     * chunked full-batch gradient (chunks of 4, 4, 2 weighted by size) must equal the mean gradient over all examples
     * at once, and the parameters must not change.
     */
    @Test
    void gradientIsTheSizeWeightedMeanOverChunksAndLeavesParametersUnchanged() {
        Vae vae = new Vae(TINY);
        vae.initialize(6);
        vae.layout().encLogVar.weights.assign(0);
        vae.layout().encLogVar.bias.assign(-60);
        ModelState before = vae.state();
        Dataset d = data(10, 6, false, 3);
        Map<String, INDArray> g = vae.gradient(d, FitInstructions.builder().batchSize(4).seed(2).build());
        assertTrue(vae.state().bitEquals(before));
        Vae.LossAndGradient whole = vae.lossAndGradient(d, Nd4j.zeros(DataType.FLOAT, 10, 2));
        assertClose(whole.encoder(), g.get(Vae.ENCODER), 1e-5);
        assertClose(whole.decoder(), g.get(Vae.DECODER), 1e-5);
        assertTrue(whole.decoder().norm2Number().doubleValue() > 0.1);
    }

    private static void assertClose(INDArray expected, INDArray actual, double relTol) {
        double[] e = expected.toDoubleVector();
        double[] a = actual.toDoubleVector();
        assertEquals(e.length, a.length);
        double scale = expected.amaxNumber().doubleValue();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], relTol * scale, "element " + i);
        }
    }

    static void assertMessage(Throwable t, String... parts) {
        for (String p : parts) {
            assertTrue(t.getMessage().contains(p), "message '" + t.getMessage() + "' should contain '" + p + "'");
        }
    }
}
