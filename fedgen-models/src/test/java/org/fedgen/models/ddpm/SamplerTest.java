package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SamplerTest {
    private static final int T = 30;

    private static MlpDenoiser tinyNet() {
        MlpDenoiser net = new MlpDenoiser(4, new int[] {8}, 4, 0, Activation.SILU);
        net.initialize(11);
        return net;
    }

    @Test
    void ddimTimestepsAreEvenlySpacedAndIncludeBothEnds() {
        assertArrayEquals(new int[] {1, 4, 7, 10}, new DdimSampler(4).timesteps(10));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, new DdimSampler(5).timesteps(5));
        assertArrayEquals(new int[] {9}, new DdimSampler(1).timesteps(9));
        int[] tau = new DdimSampler(50).timesteps(1000);
        assertEquals(1, tau[0]);
        assertEquals(1000, tau[49]);
        for (int i = 1; i < tau.length; i++) {
            assertEquals(true, tau[i] > tau[i - 1]);
        }
        assertThrows(IllegalArgumentException.class, () -> new DdimSampler(11).timesteps(10));
        assertThrows(IllegalArgumentException.class, () -> new DdimSampler(0));
    }

    @Test
    void ddimIsDeterministicGivenTheStartingNoise() {
        MlpDenoiser net = tinyNet();
        NoiseSchedule s = NoiseSchedule.linear(T);
        INDArray xT = MlpDenoiserTest.gaussian(5, 3, 4);
        DdimSampler ddim = new DdimSampler(7);
        INDArray a = ddim.run(net, s, xT.dup(), null, Nd4j.getRandomFactory().getNewRandomInstance(1));
        INDArray b = ddim.run(net, s, xT.dup(), null, Nd4j.getRandomFactory().getNewRandomInstance(2));
        assertArrayEquals(a.dup().data().asFloat(), b.dup().data().asFloat(), 0f);
    }

    @Test
    void ddimWithAllStepsEqualsTheDirectPerStepRecursion() {
        ddimMatchesDirectRecursion(false);
    }

    @Test
    void clippedDdimEqualsTheDirectRecursionWithClippedX0() {
        ddimMatchesDirectRecursion(true);
    }

    private static void ddimMatchesDirectRecursion(boolean clip) {
        MlpDenoiser net = tinyNet();
        NoiseSchedule s = NoiseSchedule.cosine(T);
        INDArray xT = MlpDenoiserTest.gaussian(6, 3, 4);
        INDArray got = new DdimSampler(T, clip).run(net, s, xT.dup(), null, null);
        double[][] x = xT.toDoubleMatrix();
        int[] t = new int[3];
        int clipped = 0;
        for (int step = T; step >= 1; step--) {
            Arrays.fill(t, step);
            double[][] eps = net.predict(Nd4j.createFromArray(x).castTo(xT.dataType()), t, null).toDoubleMatrix();
            double ab = s.alphaBar(step);
            double abPrev = s.alphaBar(step - 1);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double x0 = (x[i][j] - Math.sqrt(1 - ab) * eps[i][j]) / Math.sqrt(ab);
                    if (clip && Math.abs(x0) > 1) {
                        x0 = Math.signum(x0);
                        clipped++;
                    }
                    x[i][j] = Math.sqrt(abPrev) * x0 + Math.sqrt(1 - abPrev) * eps[i][j];
                }
            }
        }
        if (clip) {
            assertTrue(clipped > 0, "the case must exercise clipping");
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(x[i][j], got.getDouble(i, j), 1e-4 * Math.max(1, Math.abs(x[i][j])));
            }
        }
    }

    @Test
    void ancestralWithoutClippingFollowsHoEquation11() {
        MlpDenoiser net = tinyNet();
        NoiseSchedule s = NoiseSchedule.linear(T);
        INDArray xT = MlpDenoiserTest.gaussian(6, 2, 4);
        INDArray got = new AncestralSampler(false).run(net, s, xT.dup(), null,
                Nd4j.getRandomFactory().getNewRandomInstance(9));
        // replay the same noise stream: one N(0, σ_t²) draw per step t > 1, in the order the sampler draws them
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(9);
        double[][] x = xT.toDoubleMatrix();
        int[] t = new int[2];
        for (int step = T; step >= 1; step--) {
            Arrays.fill(t, step);
            double[][] eps = net.predict(Nd4j.createFromArray(x).castTo(xT.dataType()), t, null).toDoubleMatrix();
            double[][] z = new double[2][4];
            if (step > 1) {
                INDArray zz = Nd4j.create(xT.dataType(), 2, 4);
                Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(zz, 0,
                        Math.sqrt(s.posteriorVariance(step))), rng);
                z = zz.toDoubleMatrix();
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 4; j++) {
                    x[i][j] = (x[i][j] - s.beta(step) / Math.sqrt(1 - s.alphaBar(step)) * eps[i][j])
                            / Math.sqrt(s.alpha(step)) + z[i][j];
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(x[i][j], got.getDouble(i, j), 1e-3 * Math.max(1, Math.abs(x[i][j])));
            }
        }
        INDArray other = new AncestralSampler(false).run(net, s, xT.dup(), null,
                Nd4j.getRandomFactory().getNewRandomInstance(10));
        assertNotEquals(got, other);
    }
}
