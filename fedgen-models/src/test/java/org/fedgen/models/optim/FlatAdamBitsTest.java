package org.fedgen.models.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused Adam pass against the nine-call ND4J/BLAS form it replaced, recomputed independently with those calls.
 * Its bits are its own, the same on every machine (Java float arithmetic and {@code Math.fma} are exact IEEE
 * operations); the BLAS form's depend on the saxpy kernel OpenBLAS picks for the CPU. Every kernel seen fuses the
 * multiply-add in its 32-element blocks, where the two must agree bit for bit; in the last n mod 32 elements some
 * kernels fuse and some round twice (as FlatAdam does), so there they may differ in the last bits.
 */
class FlatAdamBitsTest {
    /** The earlier implementation: nine in-place ND4J calls, the gradient used as scratch. */
    private static final class NineCallAdam {
        private final double b1;
        private final double b2;
        private final double eps;
        private final INDArray m;
        private final INDArray v;
        private int t;

        NineCallAdam(long n, double b1, double b2, double eps) {
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            m = Nd4j.zeros(DataType.FLOAT, n);
            v = Nd4j.zeros(DataType.FLOAT, n);
        }

        void step(INDArray w, INDArray g, double lr) {
            t++;
            double c1 = 1 - Math.pow(b1, t);
            double sqrtC2 = Math.sqrt(1 - Math.pow(b2, t));
            Level1 blas = Nd4j.getBlasWrapper().level1();
            long n = w.length();
            m.muli(b1);
            blas.axpy(n, 1 - b1, g, m);
            Nd4j.exec(new MulOp(g, g, g));
            v.muli(b2);
            blas.axpy(n, 1 - b2, g, v);
            Nd4j.exec(new Sqrt(v, g));
            g.addi(eps * sqrtC2);
            Nd4j.exec(new DivOp(m, g, g));
            blas.axpy(n, -lr * sqrtC2 / c1, g, w);
        }
    }

    private static float[] gaussian(SplittableRandom rng, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // a spread of magnitudes, so that √v ranges from far below ε to far above it
            x[i] = (float) (rng.nextGaussian() * scale * Math.pow(10, rng.nextInt(-6, 2)));
        }
        return x;
    }

    private static void assertSameBitsInBlocks(int n, double b1, double b2, double eps, double lr) {
        SplittableRandom rng = new SplittableRandom(n);
        INDArray wFused = Nd4j.createFromArray(gaussian(rng, n, 1));
        INDArray wRef = wFused.dup();
        FlatAdam fused = new FlatAdam(n, b1, b2, eps);
        NineCallAdam ref = new NineCallAdam(n, b1, b2, eps);
        for (int step = 1; step <= 5; step++) {
            float[] g = gaussian(rng, n, 0.1);
            fused.step(wFused, Nd4j.createFromArray(g), lr);
            ref.step(wRef, Nd4j.createFromArray(g), lr);
            float[] want = wRef.toFloatVector();
            float[] got = wFused.toFloatVector();
            int blocks = n & -32;
            assertArrayEquals(Arrays.copyOf(want, blocks), Arrays.copyOf(got, blocks), 0f,
                    "n=" + n + " step " + step + ", whole BLAS blocks");
            for (int i = blocks; i < n; i++) {
                // m and v a rounding apart move each step's update (at most about lr) by a few parts in 1e7
                float tolerance = 4 * Math.ulp(want[i]) + (float) (1e-6 * lr * step);
                assertEquals(want[i], got[i], tolerance, "n=" + n + " step " + step + " index " + i);
            }
        }
    }

    @Test
    void fusedStepGivesTheNineCallFormsBitsInWholeBlasBlocksAtTheVaeAndGanPartLengths() {
        // VAE 784-400-20 encoder and decoder; GAN default generator and discriminator; odd tails of a chunk
        assertSameBitsInBlocks(330_040, 0.9, 0.999, 1e-8, 1e-3);
        assertSameBitsInBlocks(322_784, 0.9, 0.999, 1e-8, 1e-3);
        assertSameBitsInBlocks(567_568, 0.5, 0.999, 1e-8, 2e-4);
        assertSameBitsInBlocks(533_505, 0.5, 0.999, 1e-8, 2e-4);
        assertSameBitsInBlocks(2049, 0.8, 0.99, 1e-3, 0.05);
        assertSameBitsInBlocks(37, 0.8, 0.99, 1e-3, 0.05);
    }

    @Test
    void aViewWithAnOffsetIsUpdatedInPlaceAndItsNeighboursAreLeftAlone() {
        INDArray flat = Nd4j.createFromArray(new float[] {9, 1, 2, 3, 9});
        INDArray view = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4));
        INDArray dense = Nd4j.createFromArray(new float[] {1, 2, 3});
        float[] g = {0.5f, -1f, 2f};
        new FlatAdam(3, 0.9, 0.999, 1e-8).step(view, Nd4j.createFromArray(g), 0.1);
        new FlatAdam(3, 0.9, 0.999, 1e-8).step(dense, Nd4j.createFromArray(g), 0.1);
        float[] got = flat.toFloatVector();
        assertArrayEquals(new float[] {9, dense.getFloat(0), dense.getFloat(1), dense.getFloat(2), 9}, got, 0f);
    }

    /** FlatAdam's own arithmetic, element by element: machine-independent, so its bits are the same everywhere. */
    @Test
    void everyElementFollowsTheDocumentedFloatOperations() {
        int n = 2 * 32 + 6;
        SplittableRandom rng = new SplittableRandom(7);
        float[] w = gaussian(rng, n, 1);
        float[] m = new float[n];
        float[] v = new float[n];
        INDArray params = Nd4j.createFromArray(w.clone());
        FlatAdam adam = new FlatAdam(n, 0.9, 0.999, 1e-8);
        for (int t = 1; t <= 3; t++) {
            float[] g = gaussian(rng, n, 0.1);
            adam.step(params, Nd4j.createFromArray(g), 1e-3);
            double sqrtC2 = Math.sqrt(1 - Math.pow(0.999, t));
            float eps = (float) (1e-8 * sqrtC2);
            float rate = (float) (-1e-3 * sqrtC2 / (1 - Math.pow(0.9, t)));
            for (int i = 0; i < n; i++) {
                if (i < 64) {
                    m[i] = Math.fma((float) (1 - 0.9), g[i], m[i] * 0.9f);
                    v[i] = Math.fma((float) (1 - 0.999), g[i] * g[i], v[i] * 0.999f);
                    w[i] = Math.fma(rate, m[i] / ((float) Math.sqrt(v[i]) + eps), w[i]);
                } else {
                    m[i] = m[i] * 0.9f + (float) (1 - 0.9) * g[i];
                    v[i] = v[i] * 0.999f + (float) (1 - 0.999) * (g[i] * g[i]);
                    w[i] = w[i] + rate * (m[i] / ((float) Math.sqrt(v[i]) + eps));
                }
            }
            assertArrayEquals(w, params.toFloatVector(), 0f, "step " + t);
        }
    }
}
