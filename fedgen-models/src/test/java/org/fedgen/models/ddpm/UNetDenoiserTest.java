package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedgen.models.optim.FlatAdam;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class UNetDenoiserTest {

    @Test
    void tinyUNetHasCorrectGradientsAndLearnsAFixedBatch() {
        UNetDenoiser net = new UNetDenoiser(4, 4, 2, 3, 4, 2);
        net.initialize(5);
        INDArray xt = MlpDenoiserTest.gaussian(1, 3, 16);
        INDArray eps = MlpDenoiserTest.gaussian(2, 3, 16);
        int[] t = {2, 9, 30};
        int[] labels = {1, 0, 1};
        assertArrayEquals(new long[] {3, 16}, net.predict(xt, t, labels).shape());
        MlpDenoiserTest.checkDirectionalDerivative(net, xt, t, labels, eps,
                MlpDenoiserTest.gaussian(3, net.params().length()), 1e-2, 5e-3);
        FlatAdam adam = new FlatAdam(net.params().length(), 0.9, 0.999, 1e-8);
        double first = net.loss(xt, t, labels, eps);
        for (int i = 0; i < 15; i++) {
            net.lossAndGradient(xt, t, labels, eps);
            adam.step(net.params(), net.gradient(), 1e-2);
        }
        double last = net.loss(xt, t, labels, eps);
        assertTrue(last < 0.9 * first, "loss " + first + " -> " + last);
    }
}
