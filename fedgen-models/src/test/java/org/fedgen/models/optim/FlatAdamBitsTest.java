package org.fedgen.models.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
 * The fused Adam pass must give exactly the bits of the nine-call ND4J/BLAS form it replaced (which the recorded
 * default job was trained with), here recomputed independently with those calls.
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

    private static void assertSameBits(int n, double b1, double b2, double eps, double lr) {
        SplittableRandom rng = new SplittableRandom(n);
        INDArray wFused = Nd4j.createFromArray(gaussian(rng, n, 1));
        INDArray wRef = wFused.dup();
        FlatAdam fused = new FlatAdam(n, b1, b2, eps);
        NineCallAdam ref = new NineCallAdam(n, b1, b2, eps);
        for (int step = 1; step <= 5; step++) {
            float[] g = gaussian(rng, n, 0.1);
            fused.step(wFused, Nd4j.createFromArray(g), lr);
            ref.step(wRef, Nd4j.createFromArray(g), lr);
            assertArrayEquals(wRef.toFloatVector(), wFused.toFloatVector(), 0f, "n=" + n + " step " + step);
        }
    }

    @Test
    void fusedStepGivesTheBitsOfTheNineCallFormAtTheVaeAndGanPartLengths() {
        // VAE 784-400-20 encoder and decoder; GAN default generator and discriminator; odd tails of a chunk
        assertSameBits(330_040, 0.9, 0.999, 1e-8, 1e-3);
        assertSameBits(322_784, 0.9, 0.999, 1e-8, 1e-3);
        assertSameBits(567_568, 0.5, 0.999, 1e-8, 2e-4);
        assertSameBits(533_505, 0.5, 0.999, 1e-8, 2e-4);
        assertSameBits(2049, 0.8, 0.99, 1e-3, 0.05);
        assertSameBits(37, 0.8, 0.99, 1e-3, 0.05);
    }

    @Test
    void aViewWithAnOffsetIsUpdatedInPlaceAndItsNeighboursAreLeftAlone() {
        INDArray flat = Nd4j.createFromArray(new float[] {9, 1, 2, 3, 9});
        INDArray view = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4));
        INDArray ref = Nd4j.createFromArray(new float[] {1, 2, 3});
        float[] g = {0.5f, -1f, 2f};
        new FlatAdam(3, 0.9, 0.999, 1e-8).step(view, Nd4j.createFromArray(g), 0.1);
        new NineCallAdam(3, 0.9, 0.999, 1e-8).step(ref, Nd4j.createFromArray(g), 0.1);
        float[] got = flat.toFloatVector();
        assertArrayEquals(new float[] {9, ref.getFloat(0), ref.getFloat(1), ref.getFloat(2), 9}, got, 0f);
    }
}
