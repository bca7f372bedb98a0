package org.fedgen.models.ddpm;

import java.util.SplittableRandom;

/**
 * The distribution of the training timestep t ∈ 1..T. Uniform is Ho et al.'s L_simple. Min-SNR-γ (Hang et al. 2023)
 * weights the ε-loss of step t by w_t = min(SNR_t, γ) / SNR_t with SNR_t = ᾱ_t / (1 − ᾱ_t); here the weight is
 * realised by drawing t with probability w_t / Σ w (the expected gradient is the weighted one up to a constant
 * factor, which Adam ignores), so the denoisers keep their plain ε-loss. It takes training away from the smallest t,
 * where ε is nearly unpredictable from x_t (the loss stays near 1 there) and the noisy gradients crowd out the
 * steps that shape the digits.
 */
public final class TimestepDistribution {
    private final double gamma;
    /** cdf[t−1] = P(T' ≤ t); null for uniform. */
    private final double[] cdf;
    private final int steps;

    private TimestepDistribution(int steps, double gamma, double[] cdf) {
        this.steps = steps;
        this.gamma = gamma;
        this.cdf = cdf;
    }

    /** Uniform t in 1..T. */
    public static TimestepDistribution uniform(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        return new TimestepDistribution(steps, 0, null);
    }

    /**
     * P(t) ∝ min(SNR_t, γ) / SNR_t for the schedule.
     *
     * @throws IllegalArgumentException unless γ is finite and &gt; 0
     */
    public static TimestepDistribution minSnr(NoiseSchedule schedule, double gamma) {
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("min-SNR gamma must be finite and > 0, got " + gamma);
        }
        int n = schedule.steps();
        double[] cdf = new double[n];
        double total = 0;
        for (int t = 1; t <= n; t++) {
            total += weight(schedule.alphaBar(t), gamma);
            cdf[t - 1] = total;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= total;
        }
        cdf[n - 1] = 1.0;
        return new TimestepDistribution(n, gamma, cdf);
    }

    /** min(SNR, γ) / SNR for ᾱ, i.e. min(1, γ (1 − ᾱ) / ᾱ). */
    static double weight(double alphaBar, double gamma) {
        return Math.min(1.0, gamma * (1.0 - alphaBar) / alphaBar);
    }

    /** T. */
    public int steps() {
        return steps;
    }

    /** γ, or 0 for uniform. */
    public double gamma() {
        return gamma;
    }

    /** P(t) for t in 1..T. */
    public double probability(int t) {
        if (t < 1 || t > steps) {
            throw new IllegalArgumentException("t must be in 1.." + steps + ", got " + t);
        }
        if (cdf == null) {
            return 1.0 / steps;
        }
        return t == 1 ? cdf[0] : cdf[t - 1] - cdf[t - 2];
    }

    /** One draw of t. */
    public int sample(SplittableRandom rng) {
        if (cdf == null) {
            return rng.nextInt(1, steps + 1);
        }
        double u = rng.nextDouble();
        int lo = 0;
        int hi = steps - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo + 1;
    }

    /** All mass on timestep t of {@code steps} (fixed-timestep scores such as a membership attack's). */
    static TimestepDistribution fixed(int steps, int t) {
        double[] cdf = new double[steps];
        for (int k = t - 1; k < steps; k++) {
            cdf[k] = 1.0;
        }
        return new TimestepDistribution(steps, Double.NaN, cdf);
    }

    @Override
    public String toString() {
        return cdf == null ? "uniform(" + steps + ")" : "minSnr(" + steps + ", gamma=" + gamma + ")";
    }
}
