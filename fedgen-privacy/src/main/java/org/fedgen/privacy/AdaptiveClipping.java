package org.fedgen.privacy;

/**
 * Adaptive clip norm (Andrew, Thakkar, McMahan, Ramaswamy 2021, "Differentially Private Learning with Adaptive
 * Clipping"): the clip norm C follows the γ-quantile of the clients' update norms by geometric steps on a privately
 * estimated fraction of unclipped clients,
 * <pre>
 *   b̄ = (Σ_k (1[‖Δ_k‖ ≤ C] − ½) + N(0, σ_b²)) / m + ½,     C ← C · exp(−η_C (b̄ − γ)),
 * </pre>
 * with m = qW the expected number of clients. Releasing the noisy count costs privacy too; the update noise multiplier
 * becomes z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2) so that the pair (sum with z_Δ, count with σ_b) costs exactly the z the
 * accountant is told about: each client adds b_k − ½ ∈ {−½, +½} (centred as in TF Privacy's quantile estimator), so the
 * count has sensitivity ½, hence 2σ_b.
 *
 * <p>Stateful: {@link #clipNorm()} is what a checkpoint must keep.
 */
public final class AdaptiveClipping {
    /** Default target quantile γ. */
    public static final double DEFAULT_TARGET_QUANTILE = 0.5;
    /** Default geometric learning rate η_C. */
    public static final double DEFAULT_LEARNING_RATE = 0.2;

    private final double targetQuantile;
    private final double learningRate;
    private final double countNoiseStd;
    private double clipNorm;

    /**
     * @param initialClipNorm C at round 1, > 0
     * @param targetQuantile  γ in [0, 1]
     * @param learningRate    η_C ≥ 0
     * @param countNoiseStd   σ_b ≥ 0, the std of the noise on the unclipped count (0 only for non-private tests)
     * @throws IllegalArgumentException naming any value out of range
     */
    public AdaptiveClipping(double initialClipNorm, double targetQuantile, double learningRate, double countNoiseStd) {
        if (!(initialClipNorm > 0) || Double.isInfinite(initialClipNorm)) {
            throw new IllegalArgumentException("initial clip norm must be finite and > 0, got " + initialClipNorm);
        }
        if (!(targetQuantile >= 0 && targetQuantile <= 1)) {
            throw new IllegalArgumentException("target quantile must be in [0, 1], got " + targetQuantile);
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("clip learning rate must be finite and >= 0, got " + learningRate);
        }
        if (!(countNoiseStd >= 0) || Double.isInfinite(countNoiseStd)) {
            throw new IllegalArgumentException("count noise std must be finite and >= 0, got " + countNoiseStd);
        }
        this.clipNorm = initialClipNorm;
        this.targetQuantile = targetQuantile;
        this.learningRate = learningRate;
        this.countNoiseStd = countNoiseStd;
    }

    /** The paper's defaults: γ = 0.5, η_C = 0.2, σ_b = m/20 with m = {@code expectedClientsPerRound}. */
    public static AdaptiveClipping withDefaults(double initialClipNorm, double expectedClientsPerRound) {
        if (!(expectedClientsPerRound > 0)) {
            throw new IllegalArgumentException("expected clients per round must be > 0, got "
                    + expectedClientsPerRound);
        }
        return new AdaptiveClipping(initialClipNorm, DEFAULT_TARGET_QUANTILE, DEFAULT_LEARNING_RATE,
                expectedClientsPerRound / 20);
    }

    /** The clip norm C to use this round. */
    public double clipNorm() {
        return clipNorm;
    }

    /** Sets C, e.g. from a checkpoint. */
    public void restoreClipNorm(double c) {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("clip norm must be finite and > 0, got " + c);
        }
        clipNorm = c;
    }

    /** The target quantile γ of update norms the clip norm tracks. */
    public double targetQuantile() {
        return targetQuantile;
    }

    /** The geometric learning rate η_C of the clip norm. */
    public double learningRate() {
        return learningRate;
    }

    /** σ_b. */
    public double countNoiseStd() {
        return countNoiseStd;
    }

    /**
     * z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2), the noise multiplier left for the update sum when the whole round may cost z.
     *
     * @throws IllegalArgumentException when z⁻² − (2σ_b)⁻² is not positive, i.e. z ≥ 2σ_b: the count alone would
     *                                  spend the budget
     */
    public double updateNoiseMultiplier(double z) {
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("noise multiplier must be finite and > 0 with adaptive clipping, got "
                    + z);
        }
        double rest = 1 / (z * z) - 1 / (4 * countNoiseStd * countNoiseStd);
        if (!(rest > 0)) {
            throw new IllegalArgumentException("adaptive clipping with count noise std sigma_b = " + countNoiseStd
                    + " needs noise multiplier z < 2*sigma_b = " + 2 * countNoiseStd + ", got z = " + z
                    + "; raise sigma_b (more clients per round) or lower z");
        }
        return 1 / Math.sqrt(rest);
    }

    /**
     * Moves C after a round: sums b_k − ½ over the clients (b_k = 1 if the unclipped norm was ≤ the current C),
     * adds N(0, σ_b²) from {@code noise}, divides by m, adds ½ and takes one geometric step.
     *
     * @param norms                   the unclipped update norms of this round's clients
     * @param expectedClientsPerRound m = qW
     * @param noise                   the source of the count noise
     * @return the noisy unclipped fraction b̄
     */
    public double update(double[] norms, double expectedClientsPerRound, GaussianNoise noise) {
        if (!(expectedClientsPerRound > 0)) {
            throw new IllegalArgumentException("expected clients per round must be > 0, got "
                    + expectedClientsPerRound);
        }
        double centred = 0;
        for (double n : norms) {
            // b_k - 1/2 in {-1/2, +1/2}: sensitivity 1/2, which is what updateNoiseMultiplier assumes.
            centred += n <= clipNorm ? 0.5 : -0.5;
        }
        // Draw even when sigma_b = 0 so the noise stream's position never depends on the configuration.
        double b = (centred + countNoiseStd * noise.next()) / expectedClientsPerRound + 0.5;
        clipNorm *= Math.exp(-learningRate * (b - targetQuantile));
        return b;
    }
}
