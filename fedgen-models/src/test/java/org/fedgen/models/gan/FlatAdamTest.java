package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FlatAdamTest {
    /** Adam's step t with bias correction, in double: lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε). */
    private static double[] reference(double[] w, double[][] grads, double lr, double b1, double b2, double eps) {
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[] p = w.clone();
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                p[i] -= lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(v[i]) + eps);
            }
        }
        return p;
    }

    @Test
    void twoStepsMatchTheAdamFormulaAndResetRestarts() {
        double[] w = {0.5, -1.0, 2.0};
        double[][] grads = {{0.1, -0.2, 3.0}, {-0.3, 0.4, 0.01}};
        FlatAdam adam = new FlatAdam(3, DataType.DOUBLE, 0.5, 0.999, 1e-8);
        for (int run = 0; run < 2; run++) {
            adam.reset();
            INDArray p = Nd4j.createFromArray(w);
            for (double[] g : grads) {
                adam.step(p, Nd4j.createFromArray(g.clone()), 0.01);
            }
            double[] expected = reference(w, grads, 0.01, 0.5, 0.999, 1e-8);
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], p.getDouble(i), 1e-12, "run " + run + " entry " + i);
            }
            assertEquals(2, adam.iteration());
        }
    }
}
