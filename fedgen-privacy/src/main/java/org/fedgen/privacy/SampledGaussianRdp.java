package org.fedgen.privacy;

import org.apache.commons.math3.special.Erf;

/**
 * Rényi DP of one Poisson-subsampled Gaussian mechanism: each client joins with probability q, and Gaussian noise with
 * standard deviation z times the L2 sensitivity is added to the sum.
 *
 * <p>RDP(α) = log(A_α)/(α−1) with A_α = E_{x∼N(0,z²)}[((1−q) + q·exp((2x−1)/(2z²)))^α]. For integer α, A_α is the finite
 * binomial sum Σ_{i=0..α} C(α,i) (1−q)^{α−i} q^i exp((i²−i)/(2z²)). For fractional α we follow Mironov, Talwar and Zhang
 * (2019), "Rényi Differential Privacy of the Sampled Gaussian Mechanism", Section 3.3: the integral is split at
 * x₀ = z²·log(1/q − 1) + 1/2, where the two mixture components have equal density, and each side is expanded in the
 * binomial series that converges there, giving two infinite series whose terms carry Gaussian tail probabilities
 * ½·erfc(·). Everything is summed in log space so that large orders and small q neither overflow nor underflow.
 */
public final class SampledGaussianRdp {
    /** Terms below exp(−40) (A_α ≥ 1, so relative to the sum) are dropped once past the order. */
    private static final double NEGLIGIBLE_LOG_TERM = -40;
    private static final long MAX_SERIES_TERMS = 50_000_000L;
    private static final double LOG_HALF = Math.log(0.5);
    private static final double HALF_LOG_PI = 0.5 * Math.log(Math.PI);

    private SampledGaussianRdp() {
    }

    /**
     * RDP of one round at order {@code alpha}.
     *
     * @param q     sampling rate in [0, 1]
     * @param z     noise multiplier (noise std / sensitivity), ≥ 0; 0 means no privacy (infinite RDP when q > 0)
     * @param alpha Rényi order, > 1 (may be +∞)
     * @throws IllegalArgumentException for a q outside [0, 1], a negative or NaN z, or an order ≤ 1
     */
    public static double rdp(double q, double z, double alpha) {
        checkArguments(q, z);
        checkOrder(alpha);
        if (q == 0) {
            return 0;
        }
        if (z == 0 || Double.isInfinite(alpha)) {
            return Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(z)) {
            return 0;
        }
        if (q == 1) {
            return alpha / (2 * z * z);
        }
        double logA = isInteger(alpha) ? logAInteger(q, z, (long) alpha) : logAFractional(q, z, alpha);
        return logA / (alpha - 1);
    }

    /** {@link #rdp(double, double, double)} at every order. */
    public static double[] rdp(double q, double z, double[] orders) {
        double[] r = new double[orders.length];
        for (int i = 0; i < orders.length; i++) {
            r[i] = rdp(q, z, orders[i]);
        }
        return r;
    }

    static void checkArguments(double q, double z) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate q must be in [0, 1], got " + q);
        }
        if (!(z >= 0)) {
            throw new IllegalArgumentException("noise multiplier z must be >= 0, got " + z);
        }
    }

    static void checkOrder(double alpha) {
        if (!(alpha > 1)) {
            throw new IllegalArgumentException("Rényi order must be > 1, got " + alpha);
        }
    }

    private static boolean isInteger(double alpha) {
        return alpha == Math.rint(alpha) && alpha < 1e9;
    }

    private static double logAInteger(double q, double z, long alpha) {
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double twoZ2 = 2 * z * z;
        double logBinom = 0;
        LogSum sum = new LogSum();
        for (long i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinom += Math.log(alpha - i + 1) - Math.log(i);
            }
            sum.add(logBinom + i * logQ + (alpha - i) * log1mQ + (i * (double) i - i) / twoZ2);
        }
        return sum.log();
    }

    private static double logAFractional(double q, double z, double alpha) {
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double twoZ2 = 2 * z * z;
        double sqrt2Z = Math.sqrt(2) * z;
        double x0 = z * z * (log1mQ - logQ) + 0.5;
        LogSum positive = new LogSum();
        LogSum negative = new LogSum();
        double logAbsBinom = 0;
        int sign = 1;
        for (long i = 0; i < MAX_SERIES_TERMS; i++) {
            if (i > 0) {
                double factor = alpha - i + 1;
                if (factor < 0) {
                    sign = -sign;
                }
                logAbsBinom += Math.log(Math.abs(factor)) - Math.log(i);
            }
            double j = alpha - i;
            // Below x0 the μ0 component dominates: expand in powers of q·exp(...)/(1−q).
            double below = logAbsBinom + i * logQ + j * log1mQ + (i * (double) i - i) / twoZ2
                    + LOG_HALF + logErfc((i - x0) / sqrt2Z);
            // Above x0 the μ1 component dominates: expand in powers of (1−q)/(q·exp(...)).
            double above = logAbsBinom + j * logQ + i * log1mQ + (j * j - j) / twoZ2
                    + LOG_HALF + logErfc((x0 - j) / sqrt2Z);
            LogSum target = sign > 0 ? positive : negative;
            target.add(below);
            target.add(above);
            if (i > alpha && Math.max(below, above) < NEGLIGIBLE_LOG_TERM) {
                break;
            }
        }
        return LogSum.subtract(positive.log(), negative.log());
    }

    /** log(erfc(x)), accurate also where erfc(x) underflows. */
    static double logErfc(double x) {
        if (x < 20) {
            return Math.log(Erf.erfc(x));
        }
        // Asymptotic series erfc(x) = exp(−x²)/(x√π) · Σ_k (−1)^k (2k−1)!! / (2x²)^k; at x ≥ 20 ten terms reach
        // double precision.
        double inv = 1 / (2 * x * x);
        double term = 1;
        double series = 1;
        for (int k = 1; k <= 10; k++) {
            term *= -(2 * k - 1) * inv;
            series += term;
        }
        return -x * x - Math.log(x) - HALF_LOG_PI + Math.log(series);
    }

    /** A running log(Σ exp(t)) that neither overflows nor underflows. */
    private static final class LogSum {
        private double max = Double.NEGATIVE_INFINITY;
        private double scaled = 0;

        void add(double logTerm) {
            if (logTerm == Double.NEGATIVE_INFINITY) {
                return;
            }
            if (logTerm <= max) {
                scaled += Math.exp(logTerm - max);
            } else {
                scaled = scaled * Math.exp(max - logTerm) + 1;
                max = logTerm;
            }
        }

        double log() {
            return max == Double.NEGATIVE_INFINITY ? max : max + Math.log(scaled);
        }

        /** log(exp(a) − exp(b)) for a ≥ b; rounding that makes the difference non-positive gives −∞. */
        static double subtract(double a, double b) {
            if (b == Double.NEGATIVE_INFINITY) {
                return a;
            }
            double d = -Math.expm1(b - a);
            return d > 0 ? a + Math.log(d) : Double.NEGATIVE_INFINITY;
        }
    }
}
