package org.fedgen.models.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    @Test
    void twoByTwoHasEigenvaluesOneAndThree() {
        double[] v = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}}).values();
        Arrays.sort(v);
        assertArrayEquals(new double[] {1, 3}, v, 1e-14);
    }

    @Test
    void reconstructsRandomSymmetricMatrixWithOrthonormalVectors() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 12;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                a[i][j] = rng.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] lambda = e.values();
        double[][] v = e.vectors();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rec = 0;
                double gram = 0;
                for (int k = 0; k < n; k++) {
                    rec += v[i][k] * lambda[k] * v[j][k];
                    gram += v[k][i] * v[k][j];
                }
                assertEquals(a[i][j], rec, 1e-12);
                assertEquals(i == j ? 1.0 : 0.0, gram, 1e-12);
            }
        }
    }

    @Test
    void psdSqrtSquaresBackAndClampsNegativeNoise() {
        double[][] s = SymmetricEigen.of(new double[][] {{5, 4}, {4, 5}}).psdSqrt(); // eigenvalues 9 and 1
        assertArrayEquals(new double[] {2, 1}, s[0], 1e-14);
        assertArrayEquals(new double[] {1, 2}, s[1], 1e-14);
        double[][] neg = SymmetricEigen.of(new double[][] {{-1e-18, 0}, {0, 4}}).psdSqrt();
        assertEquals(0.0, neg[0][0], 0.0);
        assertEquals(2.0, neg[1][1], 1e-15);
    }

    @Test
    void rejectsNonSquareOrNonFinite() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.of(new double[][] {{1, Double.NaN}, {0, 1}}));
    }
}
