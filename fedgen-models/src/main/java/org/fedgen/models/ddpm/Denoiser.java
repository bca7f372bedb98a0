package org.fedgen.models.ddpm;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network ε_θ(x_t, t[, y]) that predicts the noise in x_t, with all parameters in one flat float32 vector (the
 * {@code denoiser} part) and its gradient in a second flat vector of the same layout. Not thread-safe: one instance per
 * worker thread.
 */
public interface Denoiser {

    /** d, the width of one flattened example. */
    int dataDim();

    /** Number of labels for a conditional denoiser, 0 for an unconditional one. */
    int numClasses();

    /** The live flat parameter vector; writing into it changes the network. */
    INDArray params();

    /** The live flat gradient vector written by {@link #lossAndGradient}; same layout as {@link #params()}. */
    INDArray gradient();

    /** Re-initialises {@link #params()} randomly from {@code seed} (bit-identical for the same seed). */
    void initialize(long seed);

    /**
     * ε_θ for each row of {@code xt}.
     *
     * @param xt     [n, d] noisy inputs
     * @param t      n steps (1-based)
     * @param labels n labels for a conditional denoiser, else null
     * @return [n, d]; may be an internal buffer that the next call overwrites
     */
    INDArray predict(INDArray xt, int[] t, int[] labels);

    /**
     * The ε-prediction loss mean((ε − ε_θ(x_t, t))²) over all n·d elements, and its gradient with respect to the
     * parameters written into {@link #gradient()}.
     */
    double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps);

    /** The loss of {@link #lossAndGradient} without the gradient. */
    default double loss(INDArray xt, int[] t, int[] labels, INDArray eps) {
        INDArray diff = predict(xt, t, labels).sub(eps);
        double norm = diff.norm2Number().doubleValue();
        return norm * norm / diff.length();
    }

    /**
     * Record-level DP-SGD's clipped sum: writes Σ_i min(1, C/‖g_i‖) g_i into {@link #gradient()}, where g_i is the
     * parameter gradient of example i's own ε-loss mean_j (ε_ij − ε_θ(x_t, t)_ij)² and only the first {@code members}
     * rows count (the rest are padding).
     *
     * @throws IllegalArgumentException if this network has no per-example gradient norms (the default)
     */
    default void clippedGradientSum(INDArray xt, int[] t, int[] labels, INDArray eps, int members, double clip) {
        throw new IllegalArgumentException("record-level DP needs per-example gradient norms, which " + this
                + " does not compute; use the MLP denoiser");
    }
}
