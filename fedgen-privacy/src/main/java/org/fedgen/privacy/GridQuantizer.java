package org.fedgen.privacy;

import java.util.Random;

/**
 * Maps a clipped delta (‖x‖₂ ≤ S) to integers on the grid γ = S/(k√d) by conditional randomized rounding (Kairouz,
 * Liu, Steinke 2021, "The Distributed Discrete Gaussian Mechanism", §4): each x_i/γ rounds up with probability equal
 * to its fractional part, and the whole vector is redrawn until its squared norm is at most
 * <pre>
 *   Δ² = ⌊min( c² + d/4 + √(2 ln(1/β)) (c + √d/2),  (c + √d)² )⌋,   c = S/γ = k√d,  β = e^(−1/2),
 * </pre>
 * so the norm bound Δ of the integer vector holds exactly, not with high probability (the first term bounds the
 * norm with probability ≥ 1 − β, which keeps the expected number of draws below 1/(1 − β) ≈ 2.5; the second always
 * holds). Δ is the sensitivity, in grid units, of a sum of such vectors.
 */
final class GridQuantizer {
    /** Grid points per unit of c/√d; k = 16 inflates the norm bound by about 0.05 %. */
    static final int DEFAULT_RESOLUTION = 16;
    private static final double BETA = Math.exp(-0.5);

    private final double gamma;
    private final long boundSquared;

    /**
     * @param clipNorm   S > 0
     * @param dimension  d ≥ 1, the length of the vectors
     * @param resolution k ≥ 1
     */
    GridQuantizer(double clipNorm, long dimension, int resolution) {
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm) || dimension < 1 || resolution < 1) {
            throw new IllegalArgumentException("grid needs S > 0, d >= 1, k >= 1, got S = " + clipNorm + ", d = "
                    + dimension + ", k = " + resolution);
        }
        double sqrtD = Math.sqrt((double) dimension);
        double c = resolution * sqrtD;
        this.gamma = clipNorm / c;
        double probable = c * c + dimension / 4.0 + Math.sqrt(2 * Math.log(1 / BETA)) * (c + sqrtD / 2);
        double always = (c + sqrtD) * (c + sqrtD);
        this.boundSquared = (long) Math.floor(Math.min(probable, always));
    }

    /** γ, the grid step in the units of the delta. */
    double gamma() {
        return gamma;
    }

    /** Δ², the exact bound on the squared norm of every quantized vector. */
    long boundSquared() {
        return boundSquared;
    }

    /** Δ = √(Δ²), the L2 sensitivity in grid units. */
    double sensitivity() {
        return Math.sqrt((double) boundSquared);
    }

    /**
     * Quantizes {@code x} (norm ≤ S in exact arithmetic) into {@code out}.
     *
     * @throws IllegalArgumentException if x is not within S (no rounding can then meet the bound)
     */
    void quantize(float[] x, long[] out, Random random) {
        long[] floor = new long[x.length];
        double[] frac = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i] / gamma;
            double f = Math.floor(v);
            floor[i] = (long) f;
            frac[i] = v - f;
        }
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long sq = 0;
            for (int i = 0; i < x.length; i++) {
                // Up with probability frac: 53 random bits against the fraction.
                long r = floor[i] + (random.nextDouble() < frac[i] ? 1 : 0);
                out[i] = r;
                sq += r * r;
            }
            if (sq <= boundSquared) {
                return;
            }
        }
        throw new IllegalArgumentException("randomized rounding did not meet the norm bound in 10000 draws: the"
                + " vector is not within the clip norm");
    }
}
