package org.fedgen.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Checks the hand-written backward pass against an independent double-precision loss, and the proximal term. */
class VaeGradientTest {
    private static final int N = 5;

    private static VaeConfig tiny(int classes) {
        return VaeConfig.builder().inputDim(12).hiddenDim(8).latentDim(3).beta(0.7).numClasses(classes)
                .optimizer(VaeConfig.Optimizer.SGD).build();
    }

    private static Dataset randomData(VaeConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[N][c.inputDim()];
        int[] labels = new int[N];
        for (int n = 0; n < N; n++) {
            for (int p = 0; p < c.inputDim(); p++) {
                x[n][p] = (float) r.nextDouble();
            }
            labels[n] = r.nextInt(Math.max(1, c.numClasses()));
        }
        return new Dataset(Nd4j.createFromArray(x), c.isConditional() ? labels : null, new int[] {c.inputDim()});
    }

    /**
     * Directional derivative check: with the noise eps fixed the loss is a deterministic function of the parameters.
     * For a random direction d supported on one weight matrix or one bias vector, the central difference
     * (L(w + h d) - L(w - h d)) / 2h of the double-precision reference (h = 1e-4: truncation error O(h^2) ~ 1e-8,
     * rounding ~ 1e-12) must match g.d from the float32 model to 1e-4 relative (float32 accumulation over a few
     * hundred terms stays below 1e-5; a wrong formula errs by O(1)).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 4})
    void gradientMatchesCentralDifferenceForEveryLayerOfBothParts(int classes) {
        VaeConfig c = tiny(classes);
        Vae vae = new Vae(c);
        vae.initialize(11);
        // Non-zero biases so their gradients and the ReLU pattern are generic.
        SplittableRandom r = new SplittableRandom(5);
        for (DenseView layer : layers(vae.layout())) {
            for (int j = 0; j < layer.fanOut; j++) {
                layer.bias.putScalar(j, (float) (0.2 * (r.nextDouble() - 0.5)));
            }
        }
        Dataset data = randomData(c, 3);
        double[][] eps = new double[N][c.latentDim()];
        for (double[] row : eps) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian();
            }
        }
        Vae.LossAndGradient lg = vae.lossAndGradient(data, Nd4j.createFromArray(eps).castTo(DataType.FLOAT));

        double[] enc = vae.state().part(Vae.ENCODER).toDoubleVector();
        double[] dec = vae.state().part(Vae.DECODER).toDoubleVector();
        double[][] x = data.features().toDoubleMatrix();
        int[] labels = classes > 0 ? data.labels() : null;
        ReferenceVae ref = new ReferenceVae(c);
        double refLoss = ref.loss(enc, dec, x, labels, eps);
        assertEquals(refLoss, lg.loss(), 1e-5 * Math.abs(refLoss), "loss of the model vs the double reference");

        double[] gEnc = lg.encoder().toDoubleVector();
        double[] gDec = lg.decoder().toDoubleVector();
        VaeLayout layout = vae.layout();
        int checks = 0;
        for (DenseView layer : layers(layout)) {
            boolean isEncoder = layer == layout.encHidden || layer == layout.encMean || layer == layout.encLogVar;
            double[] w = isEncoder ? enc : dec;
            double[] g = isEncoder ? gEnc : gDec;
            long weightsEnd = layer.offset + layer.fanIn * layer.fanOut;
            for (long[] block : List.of(new long[] {layer.offset, weightsEnd}, new long[] {weightsEnd, layer.end()})) {
                double[] dir = new double[w.length];
                for (int i = (int) block[0]; i < block[1]; i++) {
                    dir[i] = r.nextGaussian();
                }
                double h = 1e-4;
                double up = ref.loss(isEncoder ? axpy(h, dir, enc) : enc, isEncoder ? dec : axpy(h, dir, dec), x,
                        labels, eps);
                double down = ref.loss(isEncoder ? axpy(-h, dir, enc) : enc, isEncoder ? dec : axpy(-h, dir, dec),
                        x, labels, eps);
                double numeric = (up - down) / (2 * h);
                double analytic = dot(g, dir);
                assertTrue(Math.abs(numeric) > 1e-3, "direction with a non-trivial derivative");
                assertEquals(numeric, analytic, 1e-4 * Math.abs(numeric),
                        "directional derivative of block [" + block[0] + ", " + block[1] + ") of the "
                                + (isEncoder ? "encoder" : "decoder"));
                checks++;
            }
        }
        assertEquals(10, checks);
    }

    /**
     * One full-batch SGD step from the same state with the same seed, once with μ and an anchor ≠ w and once with
     * μ = 0: the steps differ by exactly lr·μ·(w − anchor) in both parts, i.e. the proximal gradient term is
     * μ(w − anchor) (up to float32 rounding of the updated weights, ~1e-7 here).
     */
    @Test
    void proximalTermAddsMuTimesDistanceToAnchorToTheGradient() {
        VaeConfig c = tiny(0);
        Vae vae = new Vae(c);
        ModelState w0 = vae.initialize(21);
        ModelState anchor = perturbed(w0, 0.3, 8);
        Dataset data = randomData(c, 4);
        double mu = 0.5;
        FitInstructions plain = FitInstructions.builder().localSteps(1).batchSize(N).learningRate(1.0).seed(9)
                .build();
        vae.fit(data, plain, anchor);
        ModelState withoutProx = vae.state();
        vae.load(w0);
        vae.fit(data, plain.toBuilder().proximalMu(mu).build(), anchor);
        ModelState withProx = vae.state();
        for (String part : List.of(Vae.ENCODER, Vae.DECODER)) {
            double[] a = withoutProx.part(part).toDoubleVector();
            double[] b = withProx.part(part).toDoubleVector();
            double[] w = w0.part(part).toDoubleVector();
            double[] an = anchor.part(part).toDoubleVector();
            for (int i = 0; i < a.length; i++) {
                // (w - lr g) - (w - lr (g + mu (w - anchor))) with lr = 1
                assertEquals(mu * (w[i] - an[i]), a[i] - b[i], 2e-6, part + "[" + i + "]");
            }
        }
    }

    static ModelState perturbed(ModelState s, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ModelState.Builder b = ModelState.builder(s.round());
        for (String part : s.partNames()) {
            float[] v = s.part(part).toFloatVector();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (scale * r.nextGaussian());
            }
            b.part(part, Nd4j.createFromArray(v));
        }
        return b.build();
    }

    private static List<DenseView> layers(VaeLayout l) {
        List<DenseView> out = new ArrayList<>();
        out.add(l.encHidden);
        out.add(l.encMean);
        out.add(l.encLogVar);
        out.add(l.decHidden);
        out.add(l.decOutput);
        return out;
    }

    private static double[] axpy(double a, double[] x, double[] y) {
        double[] out = y.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += a * x[i];
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
