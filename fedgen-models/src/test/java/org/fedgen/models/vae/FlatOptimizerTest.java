package org.fedgen.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FlatOptimizerTest {

    /** Three Adam steps with changing gradients against the textbook update in double precision. */
    @Test
    void adamMatchesTheBiasCorrectedUpdateAndResetForgetsTheMoments() {
        VaeConfig c = VaeConfig.builder().adamBeta1(0.8).adamBeta2(0.99).adamEpsilon(1e-3).build();
        FlatOptimizer adam = FlatOptimizer.create(c, 4);
        double[][] grads = {{0.5, -2, 0, 1e-3}, {-0.5, 1, 3, 1e-3}, {0.1, 0.2, -0.3, 4}};
        double lr = 0.05;
        for (int round = 0; round < 2; round++) {
            adam.reset();
            INDArray w = Nd4j.createFromArray(new float[] {1, 2, 3, 4});
            double[] ref = {1, 2, 3, 4};
            double[] m = new double[4];
            double[] v = new double[4];
            for (int t = 1; t <= 3; t++) {
                double[] g = grads[t - 1];
                adam.step(w, Nd4j.createFromArray(g).castTo(w.dataType()), lr);
                for (int i = 0; i < 4; i++) {
                    m[i] = 0.8 * m[i] + 0.2 * g[i];
                    v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.pow(0.8, t));
                    double vHat = v[i] / (1 - Math.pow(0.99, t));
                    ref[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-3);
                }
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(ref[i], w.getDouble(i), 1e-6, "round " + round + " element " + i);
            }
        }
    }

    @Test
    void sgdSubtractsLearningRateTimesGradient() {
        FlatOptimizer sgd = FlatOptimizer.create(VaeConfig.builder().optimizer(VaeConfig.Optimizer.SGD).build(), 3);
        INDArray w = Nd4j.createFromArray(new float[] {1, 2, 3});
        sgd.step(w, Nd4j.createFromArray(new float[] {4, -8, 0}), 0.25);
        assertEquals(Nd4j.createFromArray(new float[] {0, 4, 3}), w);
    }
}
