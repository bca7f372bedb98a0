package org.fedgen.models.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FidTest {
    @Test
    void traceSqrtOfDiagonalProductIsSumOfSqrtOfProducts() {
        double[][] s1 = {{1, 0, 0}, {0, 4, 0}, {0, 0, 9}};
        double[][] s2 = {{4, 0, 0}, {0, 9, 0}, {0, 0, 0}};
        // sqrt(1·4) + sqrt(4·9) + sqrt(9·0)
        assertEquals(8.0, Fid.traceSqrtProduct(s1, s2), 1e-12);
    }

    @Test
    void traceSqrtOfNonCommutingTwoByTwoMatchesClosedForm() {
        // For 2×2 M with eigenvalues λ1, λ2 ≥ 0: sqrt(λ1) + sqrt(λ2) = sqrt(tr M + 2 sqrt(det M)).
        // Σ1Σ2 = [[2,1],[1,2]]·diag(1,3) = [[2,3],[1,6]]: trace 8, det 9.
        assertEquals(Math.sqrt(14.0), Fid.traceSqrtProduct(new double[][] {{2, 1}, {1, 2}},
                new double[][] {{1, 0}, {0, 3}}), 1e-12);
        // Singular Σ1 (rank 1): Σ1·I has trace 2 and det 0.
        assertEquals(Math.sqrt(2.0), Fid.traceSqrtProduct(new double[][] {{1, 1}, {1, 1}},
                new double[][] {{1, 0}, {0, 1}}), 1e-12);
    }

    @Test
    void oneDimensionalDistanceIsMeanGapSquaredPlusSdGapSquared() {
        GaussianFit a = new GaussianFit(new double[] {1}, new double[][] {{4}}, 10);
        GaussianFit b = new GaussianFit(new double[] {3}, new double[][] {{9}}, 10);
        assertEquals(4.0 + 1.0, Fid.distance(a, b), 1e-12);
    }

    @Test
    void gaussianFitUsesUnbiasedCovariance() {
        GaussianFit f = GaussianFit.of(Nd4j.create(new float[] {1, 2, 3, 6}, new long[] {2, 2}, 'c'));
        assertArrayEquals(new double[] {2, 4}, f.mean(), 0.0);
        assertArrayEquals(new double[] {2, 4}, f.covariance()[0], 1e-12);
        assertArrayEquals(new double[] {4, 8}, f.covariance()[1], 1e-12);
    }

    @Test
    void identicalFeatureSetsHaveZeroDistanceEvenWhenSingular() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int n : new int[] {300, 10}) { // n = 10 < d = 16 gives singular covariances
            double[] v = new double[n * 16];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextGaussian() * (1 + i % 16);
            }
            INDArray f = Nd4j.create(v, new long[] {n, 16}, DataType.DOUBLE);
            // Tr Σ ≈ Σ_k (1 + k)² ≈ 1500; rounding noise in singular directions is removed, so ~1e-10 remains.
            assertEquals(0.0, Fid.between(f, f.dup()), 1e-9);
        }
    }

    @Test
    void rejectsMismatchedDimensions() {
        GaussianFit a = new GaussianFit(new double[] {1}, new double[][] {{4}}, 10);
        GaussianFit b = new GaussianFit(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}}, 10);
        assertThrows(IllegalArgumentException.class, () -> Fid.distance(a, b));
        assertThrows(IllegalArgumentException.class, () -> GaussianFit.of(Nd4j.zeros(DataType.FLOAT, 1, 3)));
    }
}
