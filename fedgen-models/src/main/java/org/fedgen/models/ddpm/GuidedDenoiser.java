package org.fedgen.models.ddpm;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022) over a conditional denoiser trained with label dropout:
 * ε̃(x_t, t, y) = (1 + w) ε_θ(x_t, t, y) − w ε_θ(x_t, t, ∅), where ∅ is {@link Conditioning#NO_LABEL}. w = 0 is the
 * conditional prediction itself; larger w trades diversity within a class for samples that look more like the class.
 * Optionally only in a {@link GuidanceInterval} of steps: outside it the result is the conditional prediction itself,
 * bit for bit. For sampling only: it shares the wrapped denoiser's parameters and cannot be trained.
 */
final class GuidedDenoiser implements Denoiser {
    private final Denoiser conditional;
    private final double weight;
    private final GuidanceInterval interval;
    private final int totalSteps;

    /** Guidance at every step. */
    GuidedDenoiser(Denoiser conditional, double weight) {
        this(conditional, weight, GuidanceInterval.ALL, 1);
    }

    /**
     * @param conditional a conditional denoiser (numClasses &gt; 0)
     * @param weight      w &ge; 0
     * @param interval    the steps at which guidance applies
     * @param totalSteps  T of the schedule, which the interval's fractions refer to
     */
    GuidedDenoiser(Denoiser conditional, double weight, GuidanceInterval interval, int totalSteps) {
        this.interval = Objects.requireNonNull(interval, "interval");
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        this.totalSteps = totalSteps;
        this.conditional = Objects.requireNonNull(conditional, "conditional");
        if (conditional.numClasses() < 1) {
            throw new IllegalArgumentException("guidance needs a conditional denoiser, got one with 0 classes");
        }
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("guidance weight must be finite and >= 0, got " + weight);
        }
        this.weight = weight;
    }

    @Override
    public int dataDim() {
        return conditional.dataDim();
    }

    @Override
    public int numClasses() {
        return conditional.numClasses();
    }

    @Override
    public INDArray params() {
        return conditional.params();
    }

    @Override
    public INDArray gradient() {
        return conditional.gradient();
    }

    @Override
    public void initialize(long seed) {
        conditional.initialize(seed);
    }

    /**
     * (1 + w) ε_θ(x_t, t, y) − w ε_θ(x_t, t, ∅) in a new array for the rows whose t is in the interval, ε_θ(x_t, t, y)
     * for the others; when no row's t is in it, the conditional denoiser's own result (no unconditional pass).
     */
    @Override
    public INDArray predict(INDArray xt, int[] t, int[] labels) {
        boolean[] inside = new boolean[t.length];
        int count = 0;
        for (int i = 0; i < t.length; i++) {
            inside[i] = interval.everywhere() || interval.contains(t[i], totalSteps);
            count += inside[i] ? 1 : 0;
        }
        if (count == 0) {
            return conditional.predict(xt, t, labels);
        }
        INDArray cond = count == t.length ? null : conditional.predict(xt, t, labels).dup();
        INDArray guided = (cond != null ? cond : conditional.predict(xt, t, labels)).mul(1.0 + weight);
        int[] none = new int[t.length];
        Arrays.fill(none, Conditioning.NO_LABEL);
        guided.subi(conditional.predict(xt, t, none).mul(weight));
        if (cond != null) {
            for (int i = 0; i < t.length; i++) {
                if (!inside[i]) {
                    guided.putRow(i, cond.getRow(i));
                }
            }
        }
        return guided;
    }

    /** Always throws: the guided combination is a sampling rule, not a trainable network. */
    @Override
    public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
        throw new UnsupportedOperationException("a guided denoiser only predicts; train the conditional denoiser "
                + "with label dropout instead");
    }
}
