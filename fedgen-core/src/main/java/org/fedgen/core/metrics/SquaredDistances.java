package org.fedgen.core.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pairwise squared Euclidean distances between the rows of two matrices, in double precision, from one matrix product:
 * {@code ‖a_i − b_j‖² = ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j}, clamped at 0 (cancellation can make the expansion slightly
 * negative for near-identical rows).
 */
public final class SquaredDistances {
    private SquaredDistances() {
    }

    /**
     * Distances between every row of {@code a} [n, d] and every row of {@code b} [m, d].
     *
     * @return row-major n·m array, entry {@code i·m + j} = ‖a_i − b_j‖²
     * @throws IllegalArgumentException if an input is not a matrix, the widths differ or a value is not finite
     */
    public static double[] between(INDArray a, INDArray b) {
        checkMatrix("a", a);
        checkMatrix("b", b);
        if (a.columns() != b.columns()) {
            throw new IllegalArgumentException("a has " + a.columns() + " columns but b has " + b.columns());
        }
        INDArray ad = a.castTo(DataType.DOUBLE);
        INDArray bd = b.castTo(DataType.DOUBLE);
        double[] an = rowSquaredNorms("a", ad);
        double[] bn = rowSquaredNorms("b", bd);
        double[] g = ad.mmul(bd.transpose()).dup('c').data().asDouble();
        int n = an.length;
        int m = bn.length;
        for (int i = 0; i < n; i++) {
            int row = i * m;
            for (int j = 0; j < m; j++) {
                double d2 = an[i] + bn[j] - 2.0 * g[row + j];
                g[row + j] = d2 > 0.0 ? d2 : 0.0;
            }
        }
        return g;
    }

    /**
     * Distances between all rows of {@code z} [n, d]; the diagonal is exactly 0.
     *
     * @return row-major n·n array
     */
    public static double[] within(INDArray z) {
        double[] d2 = between(z, z);
        int n = (int) z.rows();
        for (int i = 0; i < n; i++) {
            d2[i * n + i] = 0.0;
        }
        return d2;
    }

    private static void checkMatrix(String name, INDArray x) {
        Objects.requireNonNull(x, name);
        if (x.rank() != 2) {
            throw new IllegalArgumentException(name + " must be a matrix [n, d], got shape "
                    + Arrays.toString(x.shape()));
        }
        if (x.rows() == 0 || x.columns() == 0) {
            throw new IllegalArgumentException(name + " must be non-empty, got shape " + Arrays.toString(x.shape()));
        }
    }

    private static double[] rowSquaredNorms(String name, INDArray x) {
        double[] v = x.dup('c').data().asDouble();
        int n = (int) x.rows();
        int d = (int) x.columns();
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int k = i * d, end = k + d; k < end; k++) {
                double e = v[k];
                if (!Double.isFinite(e)) {
                    throw new IllegalArgumentException(name + " has a non-finite value " + e + " in row " + i
                            + ", column " + (k - i * d));
                }
                s += e * e;
            }
            norms[i] = s;
        }
        return norms;
    }
}
