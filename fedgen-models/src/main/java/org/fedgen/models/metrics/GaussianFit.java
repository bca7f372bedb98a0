package org.fedgen.models.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean and covariance (unbiased, divided by n − 1) of a set of feature vectors, in double precision.
 *
 * @param mean       length-d mean
 * @param covariance d×d symmetric covariance
 * @param count      number of vectors fitted
 */
public record GaussianFit(double[] mean, double[][] covariance, int count) {
    /** Validates and copies the arguments. */
    public GaussianFit {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(covariance, "covariance");
        if (covariance.length != mean.length) {
            throw new IllegalArgumentException("covariance has " + covariance.length + " rows but mean has "
                    + mean.length + " entries");
        }
        mean = mean.clone();
        double[][] c = new double[covariance.length][];
        for (int i = 0; i < c.length; i++) {
            if (covariance[i].length != mean.length) {
                throw new IllegalArgumentException("covariance row " + i + " has " + covariance[i].length
                        + " entries, expected " + mean.length);
            }
            c[i] = covariance[i].clone();
        }
        covariance = c;
    }

    /**
     * Fits rows of features [n, d], n ≥ 2.
     *
     * @throws IllegalArgumentException if features is not a matrix with at least 2 rows or has a non-finite value
     */
    public static GaussianFit of(INDArray features) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2 || features.rows() < 2) {
            throw new IllegalArgumentException("features must be [n >= 2, d], got shape "
                    + Arrays.toString(features.shape()));
        }
        int n = (int) features.rows();
        int d = (int) features.columns();
        double[] x = features.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                double v = x[i * d + k];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("features row " + i + ", column " + k + " is " + v);
                }
                mean[k] += v;
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                c[k] = x[i * d + k] - mean[k];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new GaussianFit(mean, cov, n);
    }

    /** Dimension d. */
    public int dimension() {
        return mean.length;
    }

    /** A copy of the mean vector. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the covariance matrix. */
    @Override
    public double[][] covariance() {
        double[][] c = new double[covariance.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = covariance[i].clone();
        }
        return c;
    }

    double[] meanRef() {
        return mean;
    }

    double[][] covarianceRef() {
        return covariance;
    }
}
