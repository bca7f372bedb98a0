package org.fedgen.models.ddpm;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022) over a conditional denoiser trained with label dropout:
 * ε̃(x_t, t, y) = (1 + w) ε_θ(x_t, t, y) − w ε_θ(x_t, t, ∅), where ∅ is {@link Conditioning#NO_LABEL}. w = 0 is the
 * conditional prediction itself; larger w trades diversity within a class for samples that look more like the class.
 * For sampling only: it shares the wrapped denoiser's parameters and cannot be trained.
 */
final class GuidedDenoiser implements Denoiser {
    private final Denoiser conditional;
    private final double weight;

    /**
     * @param conditional a conditional denoiser (numClasses &gt; 0)
     * @param weight      w &ge; 0
     */
    GuidedDenoiser(Denoiser conditional, double weight) {
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

    /** (1 + w) ε_θ(x_t, t, y) − w ε_θ(x_t, t, ∅), in a new array. */
    @Override
    public INDArray predict(INDArray xt, int[] t, int[] labels) {
        INDArray guided = conditional.predict(xt, t, labels).mul(1.0 + weight);
        int[] none = new int[t.length];
        Arrays.fill(none, Conditioning.NO_LABEL);
        return guided.subi(conditional.predict(xt, t, none).mul(weight));
    }

    /** Always throws: the guided combination is a sampling rule, not a trainable network. */
    @Override
    public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
        throw new UnsupportedOperationException("a guided denoiser only predicts; train the conditional denoiser "
                + "with label dropout instead");
    }
}
