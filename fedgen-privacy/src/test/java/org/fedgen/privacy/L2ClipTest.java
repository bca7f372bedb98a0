package org.fedgen.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.fedgen.core.util.Vectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Clipping at model sizes where a float32 norm under-reads: the clipped delta's exact norm must be ≤ S. */
class L2ClipTest {
    /** ‖v‖ from the float32 values, summed in double in a plain loop (independent of the code under test). */
    private static double exactNorm(float[]... parts) {
        double sq = 0;
        for (float[] p : parts) {
            for (float x : p) {
                sq += (double) x * x;
            }
        }
        return Math.sqrt(sq);
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller cosine branch: only needs to be a spread of magnitudes.
            v[i] = (float) (Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return v;
    }

    @Test
    void aClippedFiveMillionParameterDeltaHasNormAtMostS() {
        float[] a = gaussian(4_000_000, 1);
        float[] b = gaussian(1_000_000, 2);
        double before = exactNorm(a, b);
        INDArray pa = Nd4j.createFromArray(a);
        INDArray pb = Nd4j.createFromArray(b);
        assertEquals(before, Vectors.l2Norm(List.of(pa, pb)), 1e-12 * before);
        for (double s : new double[] {before / 3, before * 0.999, 1.0}) {
            INDArray ca = pa.dup();
            INDArray cb = pb.dup();
            double reported = L2Clip.clipInPlace(List.of(ca, cb), s);
            assertEquals(before, reported, 1e-12 * before);
            double after = exactNorm(ca.toFloatVector(), cb.toFloatVector());
            assertTrue(after <= s, "clipped norm " + after + " > S = " + s);
            // The rounding margin costs at most a few parts in 10^7 of S.
            assertTrue(after > s * (1 - 1e-6), "clipped norm " + after + " far below S = " + s);
        }
    }

    @Test
    void theNormOfAViewReadsOnlyTheViewsElements() {
        INDArray m = Nd4j.createFromArray(new float[] {3, 4, 100, 100}).reshape(2, 2);
        assertEquals(5.0, Vectors.l2Norm(List.of(m.getRow(0))), 0.0);
        assertEquals(Math.sqrt(3 * 3 + 100 * 100), Vectors.l2Norm(List.of(m.getColumn(0))), 1e-12);
    }
}
