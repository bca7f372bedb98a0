package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Directional-derivative checks of the hand-written backward passes, in double precision on a tiny network so that
 * the central difference (h = 1e-6) does not cross a leaky-ReLU kink.
 */
class GanGradientCheckTest {
    private static final int B = 4;
    private static final double H = 1e-6;

    private static GanConfig tiny(GanLoss loss, int classes, OutputActivation out) {
        return GanConfig.builder().dataDim(6).latentDim(3).generatorHidden(5, 4).discriminatorHidden(5, 4)
                .numClasses(classes).loss(loss).outputActivation(out).build();
    }

    private static INDArray rand(Random r, long... shape) {
        return Nd4j.rand(r, shape).castTo(DataType.DOUBLE);
    }

    private static int[] labels(int classes) {
        return classes == 0 ? null : new int[] {0, 2, 1, 2};
    }

    /** Central difference of f along v at params, vs the analytic gradient's projection on v. */
    private static void checkDirectional(INDArray params, INDArray grad, INDArray v, DoubleSupplier f) {
        INDArray base = params.dup();
        double analytic = grad.mul(v).sumNumber().doubleValue();
        params.assign(base.add(v.mul(H)));
        double plus = f.getAsDouble();
        params.assign(base.sub(v.mul(H)));
        double minus = f.getAsDouble();
        params.assign(base);
        double numeric = (plus - minus) / (2 * H);
        assertTrue(Math.abs(analytic) > 1e-4, "degenerate direction: analytic " + analytic);
        assertEquals(analytic, numeric, 1e-6 * Math.max(1, Math.abs(analytic)),
                "directional derivative: analytic " + analytic + " vs numeric " + numeric);
    }

    @ParameterizedTest
    @CsvSource({"NON_SATURATING_BCE,0,1.0,false", "NON_SATURATING_BCE,3,1.0,false", "NON_SATURATING_BCE,0,0.9,false",
        "WGAN_GP,0,1.0,false", "WGAN_GP,3,1.0,false", "NON_SATURATING_BCE,3,1.0,true", "WGAN_GP,3,1.0,true"})
    void discriminatorLossGradientMatchesFiniteDifferences(GanLoss loss, int classes, double realLabel, boolean twin) {
        GanNetworks nets = new GanNetworks(tiny(loss, classes, OutputActivation.SIGMOID).toBuilder()
                .realLabel(realLabel).twinClassifier(twin).build(), DataType.DOUBLE);
        nets.initialize(11);
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(5)) {
            INDArray real = rand(r, B, 6);
            INDArray fake = rand(r, B, 6);
            INDArray eps = rand(r, B, 1);
            int[] y = labels(classes);
            int[] yf = classes == 0 ? null : new int[] {1, 1, 0, 2};
            DoubleSupplier f = () -> nets.discriminatorGradient(real, y, fake, yf, eps, 1.0 / B, 1.0 / B, false);
            f.getAsDouble();
            INDArray grad = nets.discriminator.gradient().dup();
            for (int d = 0; d < 3; d++) {
                checkDirectional(nets.discriminator.params(), grad, rand(r, grad.length()).subi(0.5), f);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"NON_SATURATING_BCE,0,SIGMOID,false", "NON_SATURATING_BCE,3,TANH_RESCALED,false",
        "WGAN_GP,0,TANH_RESCALED,false", "WGAN_GP,3,SIGMOID,false", "NON_SATURATING_BCE,3,SIGMOID,true",
        "WGAN_GP,3,TANH_RESCALED,true"})
    void generatorLossGradientMatchesFiniteDifferences(GanLoss loss, int classes, OutputActivation out,
            boolean twin) {
        GanNetworks nets = new GanNetworks(tiny(loss, classes, out).toBuilder().twinClassifier(twin).build(),
                DataType.DOUBLE);
        nets.initialize(12);
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(6)) {
            INDArray z = Nd4j.randn(r, B, 3).castTo(DataType.DOUBLE);
            int[] y = labels(classes);
            DoubleSupplier f = () -> nets.generatorGradient(z, y, 1.0 / B, false);
            f.getAsDouble();
            INDArray grad = nets.generator.gradient().dup();
            INDArray dBefore = nets.discriminator.gradient().dup();
            for (int d = 0; d < 3; d++) {
                checkDirectional(nets.generator.params(), grad, rand(r, grad.length()).subi(0.5), f);
            }
            assertEquals(dBefore, nets.discriminator.gradient(), "the G step must not touch D's gradient");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The penalty alone: its gradient w.r.t. D's weights (the double backprop) against finite differences. */
    @ParameterizedTest
    @CsvSource({"0", "3"})
    void gradientPenaltyTermMatchesFiniteDifferences(int classes) {
        GanConfig withGp = tiny(GanLoss.WGAN_GP, classes, OutputActivation.SIGMOID);
        GanConfig noGp = withGp.toBuilder().gradientPenaltyWeight(0).build();
        GanNetworks a = new GanNetworks(withGp, DataType.DOUBLE);
        GanNetworks b = new GanNetworks(noGp, DataType.DOUBLE);
        a.initialize(13);
        b.initialize(13);
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(7)) {
            INDArray real = rand(r, B, 6);
            INDArray fake = rand(r, B, 6);
            INDArray eps = rand(r, B, 1);
            int[] y = labels(classes);
            DoubleSupplier penalty = () -> {
                b.discriminator.params().assign(a.discriminator.params());
                return a.discriminatorGradient(real, y, fake, y, eps, 1.0 / B, 1.0 / B, false)
                        - b.discriminatorGradient(real, y, fake, y, eps, 1.0 / B, 1.0 / B, false);
            };
            double p = penalty.getAsDouble();
            assertTrue(p > 0, "penalty value " + p);
            INDArray grad = a.discriminator.gradient().sub(b.discriminator.gradient());
            for (int d = 0; d < 3; d++) {
                checkDirectional(a.discriminator.params(), grad, rand(r, grad.length()).subi(0.5), penalty);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The penalty's value: λ/B Σ (‖∇ₓD(x̂ᵢ)‖ − 1)², with ∇ₓD(x̂ᵢ) by central differences on the input, x̂ = fake +
     * ε(real − fake); for the conditional (projection) critic the gradient is of D(·, yᵢ) with the real row's label.
     */
    @ParameterizedTest
    @CsvSource({"0", "3"})
    void gradientPenaltyValueUsesInputGradientNorms(int classes) {
        GanConfig withGp = tiny(GanLoss.WGAN_GP, classes, OutputActivation.SIGMOID).toBuilder().classLossWeight(0)
                .build();
        GanNetworks a = new GanNetworks(withGp, DataType.DOUBLE);
        GanNetworks b = new GanNetworks(withGp.toBuilder().gradientPenaltyWeight(0).build(), DataType.DOUBLE);
        a.initialize(14);
        b.initialize(14);
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(8)) {
            INDArray real = rand(r, B, 6);
            INDArray fake = rand(r, B, 6);
            INDArray eps = rand(r, B, 1);
            int[] y = labels(classes);
            double p = a.discriminatorGradient(real, y, fake, y, eps, 1.0 / B, 1.0 / B, false)
                    - b.discriminatorGradient(real, y, fake, y, eps, 1.0 / B, 1.0 / B, false);
            INDArray xhat = real.sub(fake).muliColumnVector(eps).addi(fake);
            double expected = 0;
            for (int i = 0; i < B; i++) {
                double sq = 0;
                for (int j = 0; j < 6; j++) {
                    INDArray row = xhat.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
                    double x0 = row.getDouble(0, j);
                    row.putScalar(0, j, x0 + H);
                    int[] yi = y == null ? null : new int[] {y[i]};
                    double up = a.logits(row, yi)[0];
                    row.putScalar(0, j, x0 - H);
                    double down = a.logits(row, yi)[0];
                    double g = (up - down) / (2 * H);
                    sq += g * g;
                }
                expected += (Math.sqrt(sq) - 1) * (Math.sqrt(sq) - 1);
            }
            expected *= 10.0 / B;
            assertEquals(expected, p, 1e-4 * expected);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The conditional critic is the projection o_0 + o_{1+y} of the discriminator's 1 + C outputs. */
    @org.junit.jupiter.api.Test
    void conditionalCriticIsSharedOutputPlusTheLabelsOutput() {
        GanNetworks nets = new GanNetworks(tiny(GanLoss.WGAN_GP, 3, OutputActivation.SIGMOID), DataType.DOUBLE);
        nets.initialize(15);
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(9)) {
            INDArray x = rand(r, B, 6);
            Mlp.Workspace ws = nets.discriminator.workspace(B, 7);
            ws.input().assign(x);
            INDArray out = nets.discriminator.forward(ws, false).dup();
            assertEquals(4, out.columns());
            for (int y = 0; y < 3; y++) {
                double[] critic = nets.logits(x, new int[] {y, y, y, y});
                for (int i = 0; i < B; i++) {
                    assertEquals(out.getDouble(i, 0) + out.getDouble(i, 1 + y), critic[i], 1e-12);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * With the twin classifier D has 1 + 2C outputs; G's WGAN loss is −D(x, y) + w·(CE(o_{1…C}, y) − CE(o_{1+C…2C}, y))
     * per row, and D's is D(fake) − D(real) + w·CE(o_{1…C}, y) on real rows + w·CE(o_{1+C…2C}, y) on fake rows
     * (no penalty here), all from D's raw outputs.
     */
    @org.junit.jupiter.api.Test
    void twinClassifierLossesAreTheTwoCrossEntropiesOfTheHead() {
        double w = 0.75;
        GanConfig config = tiny(GanLoss.WGAN_GP, 3, OutputActivation.SIGMOID).toBuilder().twinClassifier(true)
                .classLossWeight(w).gradientPenaltyWeight(0).build();
        GanNetworks nets = new GanNetworks(config, DataType.DOUBLE);
        nets.initialize(18);
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(12)) {
            INDArray real = rand(r, B, 6);
            INDArray fake = rand(r, B, 6);
            int[] y = labels(3);
            int[] yf = {2, 0, 0, 1};
            INDArray realOut = rawOutputs(nets, real);
            INDArray fakeOut = rawOutputs(nets, fake);
            assertEquals(7, fakeOut.columns());
            double expectedG = 0;
            double expectedD = 0;
            for (int i = 0; i < B; i++) {
                expectedG += (-(fakeOut.getDouble(i, 0) + fakeOut.getDouble(i, 1 + yf[i]))
                        + w * (crossEntropy(fakeOut, i, 1, yf[i]) - crossEntropy(fakeOut, i, 4, yf[i]))) / B;
                expectedD += (fakeOut.getDouble(i, 0) + fakeOut.getDouble(i, 1 + yf[i])
                        - realOut.getDouble(i, 0) - realOut.getDouble(i, 1 + y[i])
                        + w * crossEntropy(realOut, i, 1, y[i]) + w * crossEntropy(fakeOut, i, 4, yf[i])) / B;
            }
            assertEquals(expectedG, nets.generatorFeedback(fake, yf, 1.0 / B).loss(), 1e-12);
            assertEquals(expectedD, nets.discriminatorGradient(real, y, fake, yf, null, 1.0 / B, 1.0 / B, false),
                    1e-12);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @org.junit.jupiter.api.Test
    void twinClassifierNeedsAConditionalGan() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> tiny(GanLoss.WGAN_GP, 0, OutputActivation.SIGMOID).toBuilder().twinClassifier(true).build());
        assertEquals("the twin classifier needs a conditional GAN, got 0 classes", e.getMessage());
    }

    private static INDArray rawOutputs(GanNetworks nets, INDArray x) {
        Mlp.Workspace ws = nets.discriminator.workspace((int) x.rows(), 7);
        ws.input().assign(x);
        return nets.discriminator.forward(ws, false).dup();
    }

    /** −log softmax(o[i, head … head + 2])[y], computed directly. */
    private static double crossEntropy(INDArray o, int i, int head, int y) {
        double z = 0;
        for (int c = 0; c < 3; c++) {
            z += Math.exp(o.getDouble(i, head + c));
        }
        return Math.log(z) - o.getDouble(i, head + y);
    }

    /**
     * PacGAN: the discriminator, generator and (WGAN-GP) penalty gradients of a critic that scores rows jointly with
     * their cyclic successors, against finite differences; pack 3 with 4 rows wraps around twice.
     */
    @ParameterizedTest
    @CsvSource({"NON_SATURATING_BCE,2", "WGAN_GP,2", "WGAN_GP,3"})
    void packedGradientsMatchFiniteDifferences(GanLoss loss, int pack) {
        GanNetworks nets = new GanNetworks(tiny(loss, 0, OutputActivation.SIGMOID).toBuilder().pack(pack).build(),
                DataType.DOUBLE);
        nets.initialize(16);
        assertEquals(6 * pack, nets.discriminator.inputSize());
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(10)) {
            INDArray real = rand(r, B, 6);
            INDArray fake = rand(r, B, 6);
            INDArray eps = rand(r, B, 1);
            DoubleSupplier d = () -> nets.discriminatorGradient(real, null, fake, null, eps, 1.0 / B, 1.0 / B, false);
            d.getAsDouble();
            INDArray dGrad = nets.discriminator.gradient().dup();
            INDArray z = Nd4j.randn(r, B, 3).castTo(DataType.DOUBLE);
            DoubleSupplier g = () -> nets.generatorGradient(z, null, 1.0 / B, false);
            g.getAsDouble();
            INDArray gGrad = nets.generator.gradient().dup();
            for (int k = 0; k < 3; k++) {
                checkDirectional(nets.discriminator.params(), dGrad, rand(r, dGrad.length()).subi(0.5), d);
                checkDirectional(nets.generator.params(), gGrad, rand(r, gGrad.length()).subi(0.5), g);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The packed critic of row i is D of the concatenation x_i, x_{i+1}, …, x_{i+m−1} (indices mod n). */
    @ParameterizedTest
    @CsvSource({"2", "3", "5"})
    void packedCriticScoresEachRowWithItsCyclicSuccessors(int pack) {
        GanNetworks nets = new GanNetworks(tiny(GanLoss.WGAN_GP, 0, OutputActivation.SIGMOID).toBuilder().pack(pack)
                .build(), DataType.DOUBLE);
        nets.initialize(17);
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(11)) {
            INDArray x = rand(r, B, 6);
            double[] critic = nets.logits(x, null);
            // the same rows as the tail of a larger matrix (a view, as chunked evaluation passes them)
            INDArray big = Nd4j.vstack(rand(r, 3, 6), x);
            org.junit.jupiter.api.Assertions.assertArrayEquals(critic,
                    nets.logits(big.get(NDArrayIndex.interval(3, 3 + B), NDArrayIndex.all()), null), 1e-12);
            for (int i = 0; i < B; i++) {
                INDArray joint = Nd4j.create(DataType.DOUBLE, 1, 6L * pack);
                for (int j = 0; j < pack; j++) {
                    joint.get(NDArrayIndex.all(), NDArrayIndex.interval(6L * j, 6L * (j + 1)))
                            .assign(x.getRow((i + j) % B));
                }
                Mlp.Workspace ws = nets.discriminator.workspace(1, 7);
                ws.input().assign(joint);
                assertEquals(nets.discriminator.forward(ws, false).getDouble(0, 0), critic[i], 1e-12, "row " + i);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @org.junit.jupiter.api.Test
    void packNeedsAnUnconditionalGanAndAPositiveSize() {
        IllegalArgumentException conditional = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> tiny(GanLoss.WGAN_GP, 3, OutputActivation.SIGMOID).toBuilder()
                        .pack(2).build());
        assertTrue(conditional.getMessage().contains("pack 2"), conditional.getMessage());
        IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GanConfig.builder().pack(0));
        assertTrue(zero.getMessage().contains("pack must be >= 1, got 0"), zero.getMessage());
    }
}
