package org.fedgen.models.metrics;

import java.util.Objects;

/**
 * Eigendecomposition A = V diag(λ) Vᵀ of a real symmetric matrix by the cyclic Jacobi method in double precision.
 * Jacobi rotations keep V orthogonal to rounding error and give eigenvalues with small relative error even for
 * nearly singular positive semi-definite matrices, which is what the FID's matrix square roots need.
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes a symmetric n×n matrix (only the upper triangle is read; the input is not modified).
     *
     * @throws IllegalArgumentException if the matrix is not square or has a non-finite entry
     */
    public static SymmetricEigen of(double[][] matrix) {
        Objects.requireNonNull(matrix, "matrix");
        int n = matrix.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("matrix must be square, row " + i + " has " + matrix[i].length
                        + " entries, expected " + n);
            }
            for (int j = i; j < n; j++) {
                double v = matrix[i][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + v);
                }
                a[i][j] = v;
                a[j][i] = v;
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1.0;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0.0;
            double diag = 0.0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-30 * diag || off == 0.0) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(a, v, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return new SymmetricEigen(values, v);
    }

    /** Zeroes a[p][q] by a rotation in the (p, q) plane, accumulating it into v (Golub & Van Loan, alg. 8.4.2). */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double apq = a[p][q];
        if (apq == 0.0) {
            return;
        }
        double theta = (a[q][q] - a[p][p]) / (2.0 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
        if (theta == 0.0) {
            t = 1.0;
        }
        double c = 1.0 / Math.sqrt(t * t + 1.0);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    /** The eigenvalues λ_i (unsorted, in the order of the eigenvector columns). */
    public double[] values() {
        return values.clone();
    }

    /** The orthogonal matrix V whose column i is the unit eigenvector of λ_i. */
    public double[][] vectors() {
        double[][] copy = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            copy[i] = vectors[i].clone();
        }
        return copy;
    }

    /**
     * The eigenvalues with rounding noise of a positive semi-definite matrix removed: values at or below
     * n · 2⁻⁵² · max|λ| (the size of rounding errors in a decomposition of a matrix of that norm) become 0. Without
     * this, a singular direction's noise of ~1e-16·‖A‖ would turn into ~1e-8·sqrt‖A‖ under a square root.
     */
    public double[] psdValues() {
        int n = values.length;
        double max = 0.0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        double tol = n * Math.ulp(1.0) * max;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[i] > tol ? values[i] : 0.0;
        }
        return out;
    }

    /** V diag(sqrt(λ)) Vᵀ over {@link #psdValues()}: the square root of a positive semi-definite matrix. */
    public double[][] psdSqrt() {
        int n = values.length;
        double[] r = psdValues();
        for (int i = 0; i < n; i++) {
            r[i] = Math.sqrt(r[i]);
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0.0;
                for (int k = 0; k < n; k++) {
                    s += vectors[i][k] * r[k] * vectors[j][k];
                }
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }
}
