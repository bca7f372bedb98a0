package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

class MlpDenoiserTest {

    static INDArray gaussian(long seed, long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(a, 0, 1), Nd4j.getRandomFactory()
                .getNewRandomInstance(seed));
        return a;
    }

    /**
     * Richardson-extrapolated central difference of the loss along v, (4·D(h/2) − D(h))/3 (error O(h⁴)), against
     * gradient · v; the tolerance is relative plus an absolute floor for float32 rounding of the loss.
     */
    static void checkDirectionalDerivative(Denoiser net, INDArray xt, int[] t, int[] labels, INDArray eps,
            INDArray v, double h, double relTol) {
        INDArray theta = net.params().dup();
        net.lossAndGradient(xt, t, labels, eps);
        double analytic = net.gradient().castTo(DataType.DOUBLE).mul(v.castTo(DataType.DOUBLE)).sumNumber()
                .doubleValue();
        double numeric = (4 * central(net, theta, xt, t, labels, eps, v, h / 2)
                - central(net, theta, xt, t, labels, eps, v, h)) / 3;
        net.params().assign(theta);
        assertTrue(Math.abs(analytic) > 1e-3, "degenerate direction, analytic = " + analytic);
        assertEquals(analytic, numeric, relTol * Math.abs(analytic) + 2e-5, "directional derivative");
    }

    private static double central(Denoiser net, INDArray theta, INDArray xt, int[] t, int[] labels, INDArray eps,
            INDArray v, double h) {
        net.params().assign(theta.add(v.mul(h)));
        double plus = net.loss(xt, t, labels, eps);
        net.params().assign(theta.sub(v.mul(h)));
        double minus = net.loss(xt, t, labels, eps);
        return (plus - minus) / (2 * h);
    }

    @Test
    void gradientMatchesFiniteDifferencesAlongRandomAndPerLayerDirections() {
        MlpDenoiser net = new MlpDenoiser(6, new int[] {5, 4}, 4, 3, Activation.SILU);
        net.initialize(7);
        net.params().addi(gaussian(8, net.params().length()).muli(0.3));
        INDArray xt = gaussian(1, 3, 6);
        INDArray eps = gaussian(2, 3, 6);
        int[] t = {1, 17, 400};
        int[] labels = {2, 0, 1};
        checkDirectionalDerivative(net, xt, t, labels, eps, gaussian(3, net.params().length()), 1e-2, 1e-3);
        // each parameter block alone, so an error in one block cannot hide behind the others
        long len = net.params().length();
        // W1 [0,30) U1 [30,65) b1 [65,70) W2 [70,90) U2 [90,118) b2 [118,122) Wo [122,146) bo [146,152)
        long[] bounds = {0, 30, 65, 70, 90, 118, 122, 146, len};
        assertEquals(152, len);
        for (int i = 0; i + 1 < bounds.length; i++) {
            INDArray v = Nd4j.create(DataType.FLOAT, len);
            for (long j = bounds[i]; j < bounds[i + 1]; j++) {
                v.putScalar(j, 1.0 + 0.1 * (j % 7));
            }
            checkDirectionalDerivative(net, xt, t, labels, eps, v, 1e-2, 1e-3);
        }
    }

    @Test
    void residualNetworkWithPriorSkipHasCorrectGradients() {
        NoiseSchedule schedule = NoiseSchedule.linear(40);
        MlpDenoiser net = new MlpDenoiser(6, new int[] {5, 5, 5}, 4, 3, Activation.SILU, schedule);
        assertTrue(net.hasPriorSkip() && !net.residual(0) && net.residual(1) && net.residual(2));
        net.initialize(7);
        net.params().addi(gaussian(8, net.params().length()).muli(0.3));
        INDArray xt = gaussian(1, 3, 6);
        INDArray eps = gaussian(2, 3, 6);
        int[] t = {1, 17, 40};
        int[] labels = {2, 0, 1};
        checkDirectionalDerivative(net, xt, t, labels, eps, gaussian(3, net.params().length()), 1e-2, 1e-3);
        // 3 hidden layers of (W, U, b), output (Wo, bo), prior (μ', σ'): each block alone
        long len = net.params().length();
        long[] bounds = {0, 30, 65, 70, 95, 130, 135, 160, 195, 200, 230, 236, 242, 248};
        assertEquals(248, len);
        for (int i = 0; i + 1 < bounds.length; i++) {
            INDArray v = Nd4j.create(DataType.FLOAT, len);
            for (long j = bounds[i]; j < bounds[i + 1]; j++) {
                v.putScalar(j, 1.0 + 0.1 * (j % 7));
            }
            checkDirectionalDerivative(net, xt, t, labels, eps, v, 1e-2, 1e-3);
        }
    }

    @Test
    void priorSkipIsTheGaussianPosteriorMeanOfTheNoise() {
        NoiseSchedule schedule = NoiseSchedule.linear(40);
        MlpDenoiser net = new MlpDenoiser(2, new int[] {3}, 4, 0, Activation.SILU, schedule);
        net.initialize(1);
        // zero output layer after initialize: ε_θ is the skip alone; at μ = 0, σ = 1 it is about √(1 − ᾱ_t) x_t
        INDArray xt = Nd4j.createFromArray(new float[][] {{0.5f, -2f}});
        double b = Math.sqrt(1 - schedule.alphaBar(10));
        double s0 = MlpDenoiser.PRIOR_MIN_STD * MlpDenoiser.PRIOR_MIN_STD;
        double k1 = schedule.alphaBar(10) * (1 + s0) + b * b;
        INDArray p = net.predict(xt, new int[] {10}, null);
        assertEquals(0.5 * b / k1, p.getDouble(0, 0), 1e-6);
        assertEquals(-2 * b / k1, p.getDouble(0, 1), 1e-6);
        // μ = (−1, 0.4), σ = (0, 0.5), stored divided by c
        long n = net.params().length();
        double c = MlpDenoiser.PRIOR_SCALE;
        net.params().putScalar(n - 4, -1 / c).putScalar(n - 3, 0.4 / c).putScalar(n - 2, 0.0).putScalar(n - 1, 0.5 / c);
        double a2 = schedule.alphaBar(10);
        double a = Math.sqrt(a2);
        p = net.predict(xt, new int[] {10}, null);
        assertEquals(b * (0.5 + a) / (a2 * s0 + b * b), p.getDouble(0, 0), 1e-4);
        assertEquals(b * (-2 - 0.4 * a) / (a2 * (0.25 + s0) + b * b), p.getDouble(0, 1), 1e-5);
    }

    @Test
    void layoutAndLossAreAsDocumented() {
        MlpDenoiser net = new MlpDenoiser(6, new int[] {5, 4}, 4, 3, Activation.RELU);
        // W1 6x5, U1 7x5, b1 5, W2 5x4, U2 7x4, b2 4, Wo 4x6, bo 6
        assertEquals(30 + 35 + 5 + 20 + 28 + 4 + 24 + 6, net.params().length());
        // everything zero except the last output bias: ε_θ = (0, ..., 0, 1) for every row
        net.params().assign(0);
        net.params().putScalar(net.params().length() - 1, 1.0);
        INDArray xt = gaussian(1, 2, 6);
        INDArray eps = Nd4j.create(DataType.FLOAT, 2, 6);
        eps.putScalar(0, 0, 3.0);
        double loss = net.loss(xt, new int[] {1, 2}, new int[] {0, 1}, eps);
        // squared errors: (0 − 3)² at [0, 0], (1 − 0)² at [0, 5] and [1, 5], over 12 elements
        assertEquals((9.0 + 1.0 + 1.0) / 12.0, loss, 1e-6);
    }

    @Test
    void conditionalDenoiserNeedsValidLabels() {
        MlpDenoiser net = new MlpDenoiser(6, new int[] {5}, 4, 3, Activation.SILU);
        INDArray xt = gaussian(1, 2, 6);
        assertThrows(IllegalArgumentException.class, () -> net.predict(xt, new int[] {1, 2}, null));
        assertThrows(IllegalArgumentException.class, () -> net.predict(xt, new int[] {1, 2}, new int[] {0, 3}));
        assertThrows(IllegalArgumentException.class, () -> net.predict(xt, new int[] {1}, new int[] {0}));
    }

    @Test
    void sameSeedGivesBitIdenticalInitialisation() {
        MlpDenoiser a = new MlpDenoiser(6, new int[] {5}, 4, 0, Activation.SILU);
        MlpDenoiser b = new MlpDenoiser(6, new int[] {5}, 4, 0, Activation.SILU);
        a.initialize(3);
        b.initialize(3);
        assertEquals(a.params(), b.params());
    }
}
