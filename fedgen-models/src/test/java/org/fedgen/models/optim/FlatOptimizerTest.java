package org.fedgen.models.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FlatOptimizerTest {
    private static final double B1 = 0.8;
    private static final double B2 = 0.99;
    private static final double EPS = 1e-3;
    private static final double LR = 0.05;
    /** Gradients mixing large entries, zero and entries near ε, where the ε convention shows. */
    private static final double[][] GRADS = {{0.5, -2, 0, 1e-3}, {-0.5, 1, 3, 1e-3}, {0.1, 0.2, -0.3, 4}};
    private static final double[] W0 = {1, 2, -3, 0.5};

    /** Textbook bias-corrected Adam in double precision: w −= lr·m̂/(√v̂ + ε). */
    private static double[] reference(int steps) {
        double[] w = W0.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < w.length; i++) {
                double g = GRADS[t - 1][i];
                m[i] = B1 * m[i] + (1 - B1) * g;
                v[i] = B2 * v[i] + (1 - B2) * g * g;
                double mHat = m[i] / (1 - Math.pow(B1, t));
                double vHat = v[i] / (1 - Math.pow(B2, t));
                w[i] -= LR * mHat / (Math.sqrt(vHat) + EPS);
            }
        }
        return w;
    }

    private static INDArray f32(double[] d) {
        return Nd4j.createFromArray(d).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    @Test
    void adamMatchesTheBiasCorrectedReferenceAfterEachStepAndResetRestartsExactly() {
        FlatAdam adam = new FlatAdam(4, B1, B2, EPS);
        float[] firstRun = null;
        for (int run = 0; run < 2; run++) {
            adam.reset();
            assertEquals(0, adam.iteration());
            INDArray w = f32(W0);
            for (int t = 1; t <= GRADS.length; t++) {
                adam.step(w, f32(GRADS[t - 1]), LR);
                assertEquals(t, adam.iteration());
                double[] ref = reference(t);
                for (int i = 0; i < ref.length; i++) {
                    // float32 arithmetic on values of magnitude <= 3: a few ulps (~2.4e-7 each)
                    assertEquals(ref[i], w.getDouble(i), 1e-6, "run " + run + " step " + t + " entry " + i);
                }
            }
            if (firstRun == null) {
                firstRun = w.toFloatVector();
            } else {
                assertArrayEquals(firstRun, w.toFloatVector(), 0f, "a reset run must repeat the first bit for bit");
            }
        }
    }

    /**
     * First step in closed form: m̂ = g and √v̂ = |g|, so w −= lr·g/(|g| + ε); with |g| = ε that is exactly lr/2.
     * ND4J's adam_updater (ε added to the uncorrected √v) would instead move by about 0.0307·lr here.
     */
    @Test
    void epsilonIsAddedToTheBiasCorrectedSecondMoment() {
        FlatAdam adam = new FlatAdam(2, 0.9, 0.999, 1e-3);
        INDArray w = Nd4j.createFromArray(1f, 1f);
        adam.step(w, Nd4j.createFromArray(1e-3f, -1e-3f), 0.5);
        assertEquals(0.75, w.getDouble(0), 1e-6);
        assertEquals(1.25, w.getDouble(1), 1e-6);
    }

    @Test
    void adamIgnoresAZeroGradient() {
        FlatAdam adam = new FlatAdam(3, 0.9, 0.999, 1e-8);
        INDArray w = Nd4j.createFromArray(1f, -2f, 3f);
        adam.step(w, Nd4j.createFromArray(0f, 0f, 0f), 0.1);
        assertArrayEquals(new float[] {1f, -2f, 3f}, w.toFloatVector(), 0f);
    }

    @Test
    void sgdSubtractsLearningRateTimesGradient() {
        FlatSgd sgd = new FlatSgd(3);
        INDArray w = Nd4j.createFromArray(1f, 2f, 3f);
        sgd.step(w, Nd4j.createFromArray(4f, -8f, 0f), 0.25);
        sgd.reset();
        sgd.step(w, Nd4j.createFromArray(4f, -8f, 0f), 0.25);
        assertArrayEquals(new float[] {-1f, 6f, 3f}, w.toFloatVector(), 0f);
    }

    @Test
    void badArgumentsAreRejectedNamingTheValue() {
        assertMessage("1.0", () -> new FlatAdam(3, 1.0, 0.999, 1e-8));
        assertMessage("-0.1", () -> new FlatAdam(3, 0.9, -0.1, 1e-8));
        assertMessage("0.0", () -> new FlatAdam(3, 0.9, 0.999, 0));
        assertMessage("0", () -> new FlatSgd(0));
        FlatAdam adam = new FlatAdam(3, 0.9, 0.999, 1e-8);
        INDArray w = Nd4j.createFromArray(1f, 2f, 3f);
        assertMessage("[2]", () -> adam.step(w, Nd4j.createFromArray(1f, 2f), 0.1));
        assertMessage("DOUBLE", () -> adam.step(w, Nd4j.createFromArray(1.0, 2.0, 3.0), 0.1));
        assertMessage("NaN", () -> adam.step(w, Nd4j.createFromArray(1f, 2f, 3f), Double.NaN));
        assertEquals(0, adam.iteration(), "rejected steps must not count");
    }

    private static void assertMessage(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
