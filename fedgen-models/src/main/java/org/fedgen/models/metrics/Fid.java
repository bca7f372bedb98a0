package org.fedgen.models.metrics;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fréchet distance between Gaussian fits of two feature sets (the FID when the features are those of
 * {@link DigitsClassifier#features}):
 *
 * <pre>
 *   FID = ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2 Tr sqrtm(Σ1 Σ2)
 * </pre>
 *
 * <p>Tr sqrtm(Σ1Σ2) is computed as Σ_i sqrt(max(λ_i, 0)) over the eigenvalues of the symmetric PSD matrix
 * S Σ2 S with S = Σ1^{1/2} (S Σ2 S is similar to Σ1Σ2, so they share eigenvalues), using two symmetric Jacobi
 * eigendecompositions ({@link SymmetricEigen}). Eigenvalues at or below the rounding-noise level
 * d · 2⁻⁵² · λ_max (including negative ones) belong to singular directions and are set to 0 before any square root
 * ({@link SymmetricEigen#psdValues()}), so no diagonal offset is added, even when n &lt; d makes the covariances
 * singular. Everything is in double precision.
 *
 * <p>The FID estimate is biased upwards by roughly O(d / n); compare FIDs only between evaluations that use the same
 * sample counts (e.g. always 1 000 generated samples against the 1 000 held-out digits).
 */
public final class Fid {
    private Fid() {
    }

    /** The FID between the rows of two feature matrices [n1, d] and [n2, d]. */
    public static double between(INDArray features1, INDArray features2) {
        return distance(GaussianFit.of(features1), GaussianFit.of(features2));
    }

    /**
     * The Fréchet distance between two Gaussian fits.
     *
     * @throws IllegalArgumentException if the dimensions differ
     */
    public static double distance(GaussianFit a, GaussianFit b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("fits have dimensions " + a.dimension() + " and " + b.dimension());
        }
        double[] m1 = a.meanRef();
        double[] m2 = b.meanRef();
        double meanTerm = 0.0;
        double traces = 0.0;
        for (int i = 0; i < m1.length; i++) {
            double diff = m1[i] - m2[i];
            meanTerm += diff * diff;
            traces += a.covarianceRef()[i][i] + b.covarianceRef()[i][i];
        }
        return meanTerm + traces - 2.0 * traceSqrtProduct(a.covarianceRef(), b.covarianceRef());
    }

    /**
     * Tr sqrtm(Σ1 Σ2) for symmetric positive semi-definite Σ1, Σ2 (see the class comment).
     *
     * @throws IllegalArgumentException if the matrices are not square of equal size
     */
    public static double traceSqrtProduct(double[][] sigma1, double[][] sigma2) {
        int n = sigma1.length;
        if (sigma2.length != n) {
            throw new IllegalArgumentException("matrices are " + n + "×" + n + " and " + sigma2.length + "×"
                    + sigma2.length);
        }
        double[][] s = SymmetricEigen.of(sigma1).psdSqrt();
        double[][] inner = multiply(multiply(s, sigma2), s);
        // Symmetrise before the second decomposition: the products above are symmetric only up to rounding.
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double avg = 0.5 * (inner[i][j] + inner[j][i]);
                inner[i][j] = avg;
                inner[j][i] = avg;
            }
        }
        double trace = 0.0;
        for (double lambda : SymmetricEigen.of(inner).psdValues()) {
            trace += Math.sqrt(lambda);
        }
        return trace;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (x[i].length != n || y[i].length != n) {
                throw new IllegalArgumentException("matrices must be square " + n + "×" + n);
            }
            double[] row = out[i];
            for (int k = 0; k < n; k++) {
                double xik = x[i][k];
                double[] yk = y[k];
                for (int j = 0; j < n; j++) {
                    row[j] += xik * yk[j];
                }
            }
        }
        return out;
    }
}
