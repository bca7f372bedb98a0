package org.fedgen.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.dpsgd.RecordDp;
import org.fedgen.models.dpsgd.TestNoise;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** DP-SGD in the VAE: ghost-norm clipping against a naive per-example loop, and the noise the private step adds. */
class VaeRecordDpTest {
    private static final int N = 13;

    private static VaeConfig tiny(int classes, int hidden) {
        return VaeConfig.builder().inputDim(12).hiddenDim(hidden).latentDim(3).beta(0.7).numClasses(classes)
                .optimizer(VaeConfig.Optimizer.SGD).build();
    }

    private static Dataset data(VaeConfig c, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][c.inputDim()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < c.inputDim(); p++) {
                x[i][p] = (float) r.nextDouble();
            }
            labels[i] = r.nextInt(Math.max(1, c.numClasses()));
        }
        return new Dataset(Nd4j.createFromArray(x), c.isConditional() ? labels : null, new int[] {c.inputDim()});
    }

    /**
     * The private step's Σ_i min(1, C/‖g_i‖) g_i, from ghost norms and one clip-weighted backward pass, equals the
     * loop that computes each example's gradient alone (a batch of one), clips it and sums, to float tolerance
     * (1e-4 of the largest coordinate). C is the median per-example norm, so about half the examples are clipped and
     * a wrong norm (e.g. without the bias term) changes which ones and by how much.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 4})
    void clippedSumEqualsNaivePerExampleLoop(int classes) {
        VaeConfig c = tiny(classes, 8);
        Vae vae = new Vae(c);
        vae.initialize(3);
        Dataset d = data(c, N, 5);
        INDArray eps = Nd4j.randn(DataType.FLOAT, N, c.latentDim());
        double[] norms = new double[N];
        INDArray[][] per = new INDArray[N][];
        for (int i = 0; i < N; i++) {
            Vae.LossAndGradient g = vae.lossAndGradient(d.range(i, i + 1), eps.getRow(i, true));
            per[i] = new INDArray[] {g.encoder(), g.decoder()};
            norms[i] = Math.sqrt(g.encoder().norm2Number().doubleValue() * g.encoder().norm2Number().doubleValue()
                    + g.decoder().norm2Number().doubleValue() * g.decoder().norm2Number().doubleValue());
        }
        double clip = Arrays.stream(norms).sorted().toArray()[N / 2];
        INDArray encSum = Nd4j.zeros(DataType.FLOAT, c.encoderSize());
        INDArray decSum = Nd4j.zeros(DataType.FLOAT, c.decoderSize());
        for (int i = 0; i < N; i++) {
            double f = Math.min(1, clip / norms[i]);
            encSum.addi(per[i][0].mul(f));
            decSum.addi(per[i][1].mul(f));
        }
        Vae.LossAndGradient ghost = vae.clippedSum(d, eps, clip);
        assertClose(encSum, ghost.encoder());
        assertClose(decSum, ghost.decoder());
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        double err = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 0);
        assertTrue(err <= 1e-4 * scale, "max error " + err + " vs largest coordinate " + scale);
    }

    /**
     * One private SGD step at learning rate 1 twice from the same parameters with the same seeded batch: once with
     * σ = 0 and once with σ = 2, C = 0.5. The parameter difference is exactly the noise divided by the expected
     * batch size B = 16, so its std over the ~29 000 coordinates must be σC/B = 0.0625 within 2 % (the sampling error
     * of a std over that many draws is about 0.4 %).
     */
    @Test
    void privateStepAddsNoiseOfStdSigmaCOverExpectedBatch() {
        VaeConfig c = tiny(0, 600);
        Dataset d = data(c, 64, 9);
        FitInstructions ins = FitInstructions.builder().learningRate(1.0).batchSize(16).localSteps(1).seed(21)
                .build();
        Vae quiet = new Vae(c);
        ModelState init = quiet.initialize(1);
        quiet.privately(RecordDp.builder(0, 0.5).seededSampling(true).noise(TestNoise::seeded).build());
        quiet.fit(d, ins, init);
        Vae noisy = new Vae(c);
        noisy.load(init);
        noisy.privately(RecordDp.builder(2, 0.5).seededSampling(true).noise(TestNoise::seeded).build());
        noisy.fit(d, ins, init);
        INDArray diff = Nd4j.concat(0, noisy.state().part(Vae.ENCODER).sub(quiet.state().part(Vae.ENCODER)),
                noisy.state().part(Vae.DECODER).sub(quiet.state().part(Vae.DECODER)));
        double std = diff.stdNumber().doubleValue();
        assertEquals(2 * 0.5 / 16, std, 0.02 * 2 * 0.5 / 16, "noise std on " + diff.length() + " coordinates");
        assertEquals(0, diff.meanNumber().doubleValue(), 5 * std / Math.sqrt(diff.length()));
    }

    /** A private fit publishes only its step count: the loss and gradient norms are functions of the records. */
    @Test
    void privateFitReportsOnlyTheStepCount() {
        VaeConfig c = tiny(0, 8);
        Vae vae = new Vae(c);
        ModelState init = vae.initialize(1);
        vae.privately(RecordDp.builder(1, 1).noise(TestNoise::seeded).build());
        var m = vae.fit(data(c, 40, 2), FitInstructions.builder().learningRate(0.01).batchSize(8).localEpochs(2)
                .seed(3).build(), init);
        assertEquals(java.util.Map.of("steps", 10.0), m);
    }
}
