package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;

class NoiseScheduleTest {

    @Test
    void linearScheduleT1000MatchesHoEtAl() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        assertEquals(1e-4, s.beta(1), 1e-15);
        assertEquals(0.02, s.beta(1000), 1e-15);
        assertEquals(1e-4 + 0.0199 / 999, s.beta(2), 1e-15);
        assertEquals(1.0, s.alphaBar(0), 0);
        assertEquals(0.9999, s.alphaBar(1), 1e-15);
        // 0.9999 * (1 - (1e-4 + 0.0199/999))
        assertEquals(0.9997800920720721, s.alphaBar(2), 1e-14);
        assertEquals(0.07858724288177821, s.alphaBar(500), 1e-12);
        assertEquals(4.0358297653756754e-05, s.alphaBar(1000), 1e-15);
    }

    @Test
    void linearScheduleIsScaledBy1000OverT() {
        NoiseSchedule s = NoiseSchedule.linear(100);
        assertEquals(1e-3, s.beta(1), 1e-15);
        assertEquals(0.2, s.beta(100), 1e-15);
        assertEquals(0.999, s.alphaBar(1), 1e-15);
        // 0.999 * (1 - (1e-3 + 0.199/99)) = 0.999 * 0.996989898...
        assertEquals(0.9959929090909091, s.alphaBar(2), 1e-14);
        assertEquals(0.07419699671742, s.alphaBar(50), 1e-12);
        assertEquals(2.0390089755640772e-05, s.alphaBar(100), 1e-15);
    }

    @Test
    void cosineAlphaBarIsTheClosedFormRatioExceptTheClippedLastStep() {
        int steps = 1000;
        NoiseSchedule s = NoiseSchedule.cosine(steps);
        double f0 = f(0, steps);
        for (int t : new int[] {1, 10, 250, 500, 900, 999}) {
            assertEquals(f(t, steps) / f0, s.alphaBar(t), 1e-12 * Math.max(1, f(t, steps) / f0), "t=" + t);
        }
        // f(T) = cos²(π/2) = 0, so β_T would be 1; it is clipped to 0.999
        assertEquals(0.999, s.beta(steps), 1e-15);
        assertEquals(s.alphaBar(steps - 1) * 0.001, s.alphaBar(steps), 1e-18);
        // hand value at t = T/2: cos²((0.5 + 0.008)/1.008 · π/2) / cos²(0.008/1.008 · π/2)
        assertEquals(Math.pow(Math.cos(0.508 / 1.008 * Math.PI / 2), 2)
                / Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2), s.alphaBar(500), 1e-12);
    }

    private static double f(int t, int steps) {
        double c = Math.cos(((double) t / steps + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    @Test
    void posteriorMatchesTheProductOfTheTwoGaussians() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        int t = 300;
        double x0 = 0.7;
        double xt = -0.4;
        // q(x_{t-1}|x_0) = N(√ᾱ_{t-1} x0, 1-ᾱ_{t-1}); q(x_t|x_{t-1}) as a function of x_{t-1} ∝ N(x_t/√α_t, β_t/α_t)
        double m1 = Math.sqrt(s.alphaBar(t - 1)) * x0;
        double v1 = 1 - s.alphaBar(t - 1);
        double m2 = xt / Math.sqrt(s.alpha(t));
        double v2 = s.beta(t) / s.alpha(t);
        double var = 1 / (1 / v1 + 1 / v2);
        double mean = var * (m1 / v1 + m2 / v2);
        assertEquals(var, s.posteriorVariance(t), 1e-15);
        assertEquals(mean, s.posteriorMeanCoefX0(t) * x0 + s.posteriorMeanCoefXt(t) * xt, 1e-12);
        assertEquals(0.0, s.posteriorVariance(1), 0);
        assertEquals(1.0, s.posteriorMeanCoefX0(1), 1e-12);
        assertEquals(0.0, s.posteriorMeanCoefXt(1), 0);
    }

    @Test
    void qSampleIsTheClosedFormRowByRow() {
        NoiseSchedule s = NoiseSchedule.cosine(50);
        INDArray x0 = Nd4j.createFromArray(new float[][] {{0.5f, -1f}, {0.25f, 1f}});
        INDArray eps = Nd4j.createFromArray(new float[][] {{1f, 2f}, {-0.5f, 0.3f}});
        int[] t = {3, 40};
        INDArray xt = s.qSample(x0, t, eps);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double expected = Math.sqrt(s.alphaBar(t[i])) * x0.getDouble(i, j)
                        + Math.sqrt(1 - s.alphaBar(t[i])) * eps.getDouble(i, j);
                assertEquals(expected, xt.getDouble(i, j), 1e-6);
            }
        }
    }

    @Test
    void noisedSampleHasTheForwardProcessMeanAndVariance() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        int n = 200_000;
        double x0v = 0.6;
        for (int t : new int[] {100, 600}) {
            INDArray x0 = Nd4j.valueArrayOf(new long[] {n, 1}, (float) x0v);
            INDArray eps = Nd4j.create(DataType.FLOAT, n, 1);
            Nd4j.getExecutioner().exec(new GaussianDistribution(eps, 0, 1),
                    Nd4j.getRandomFactory().getNewRandomInstance(42 + t));
            int[] ts = new int[n];
            java.util.Arrays.fill(ts, t);
            INDArray xt = s.qSample(x0, ts, eps).castTo(DataType.DOUBLE);
            double mean = xt.meanNumber().doubleValue();
            double var = xt.varNumber().doubleValue();
            double sigma2 = 1 - s.alphaBar(t);
            // 5 standard errors: SE(mean) = σ/√n, SE(var) ≈ σ²√(2/(n-1)) for a Gaussian
            assertEquals(Math.sqrt(s.alphaBar(t)) * x0v, mean, 5 * Math.sqrt(sigma2 / n), "mean at t=" + t);
            assertEquals(sigma2, var, 5 * sigma2 * Math.sqrt(2.0 / (n - 1)), "variance at t=" + t);
        }
    }

    @Test
    void badStepsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.linear(20));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.cosine(0));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of("quadratic", 100));
        NoiseSchedule s = NoiseSchedule.linear(100);
        assertThrows(IllegalArgumentException.class, () -> s.beta(0));
        assertThrows(IllegalArgumentException.class, () -> s.alphaBar(101));
    }
}
