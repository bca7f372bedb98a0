package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    @Test
    void threeLevelUNetHasCorrectGradientsAndLearnsAFixedBatch() {
        UNetDenoiser net = new UNetDenoiser(8, 8, new int[] {2, 3, 4}, 4, 2);
        net.initialize(5);
        INDArray xt = MlpDenoiserTest.gaussian(1, 3, 64);
        INDArray eps = MlpDenoiserTest.gaussian(2, 3, 64);
        int[] t = {2, 9, 30};
        int[] labels = {1, 0, 1};
        assertArrayEquals(new long[] {3, 64}, net.predict(xt, t, labels).shape());
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

    /**
     * Parameter counts for 28x28 digits, unconditional (a 64-wide conditioning vector, so e = max(c2, 64) = 64): a
     * block cin → cout has 9 cin cout + cout conv and 64 cout + cout embedding weights, the embedding 64·64 + 64, the
     * output conv 9 c1 + 1. Two levels 16/32: 4160 + 1200 + 3360 + 6720 + 11328 + 7968 (48 → 16) + 145 = 34881; the
     * third level 32 adds blocks 32 → 32, 32 → 32 and 64 → 32: 11328 + 11328 + 20544 = 43200.
     */
    @Test
    void parameterCountsOfTheTwoAndThreeLevelLayouts() {
        assertEquals(34881, new UNetDenoiser(28, 28, 16, 32, 64, 0).params().length());
        assertEquals(34881 + 43200, new UNetDenoiser(28, 28, new int[] {16, 32, 32}, 64, 0).params().length());
    }

    @Test
    void refusesBadChannelCountsAndSizesNamingThem() {
        assertEquals("image height and width must be multiples of 4 for 3 U-Net levels, got 6x8",
                assertThrows(IllegalArgumentException.class,
                        () -> new UNetDenoiser(6, 8, new int[] {2, 3, 4}, 4, 0)).getMessage());
        assertEquals("a U-Net needs two or three channel counts, got [2, 3, 4, 5]",
                assertThrows(IllegalArgumentException.class,
                        () -> new UNetDenoiser(8, 8, new int[] {2, 3, 4, 5}, 4, 0)).getMessage());
        assertEquals("channel counts must be >= 1, got [2, 0, 4]", assertThrows(IllegalArgumentException.class,
                () -> new UNetDenoiser(8, 8, new int[] {2, 0, 4}, 4, 0)).getMessage());
    }

    /**
     * Inference follows the parameters: after a training pass and a prediction, changing {@link UNetDenoiser#params()}
     * changes what predict and loss compute, to the value the training pass gives. With ND4J's oneDNN build and
     * SameDiff's output cache on, predict kept returning results of the earlier parameters at this size (28x28,
     * 16/32 channels), so a federated U-Net evaluated and sampled stale weights; the generic build never showed it.
     */
    @Test
    void predictionsFollowParameterChanges() {
        UNetDenoiser net = new UNetDenoiser(28, 28, 16, 32, 64, 0);
        net.initialize(1);
        INDArray xt = MlpDenoiserTest.gaussian(1, 8, 784);
        INDArray eps = MlpDenoiserTest.gaussian(2, 8, 784);
        int[] t = {1, 100, 200, 300, 400, 500, 700, 999};
        net.lossAndGradient(xt, t, null, eps);
        INDArray before = net.predict(xt, t, null).dup();
        net.params().addi(MlpDenoiserTest.gaussian(3, net.params().length()).muli(0.05));
        double training = net.lossAndGradient(xt, t, null, eps);
        INDArray after = net.predict(xt, t, null).dup();
        double diff = after.sub(eps).norm2Number().doubleValue();
        assertEquals(training, diff * diff / after.length(), 1e-5 * training);
        assertEquals(training, net.loss(xt, t, null, eps), 1e-5 * training);
        assertTrue(after.sub(before).amaxNumber().doubleValue() > 1e-3, "the output did not change");
    }
}
