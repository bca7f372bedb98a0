package org.fedgen.models.ddpm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The forward (noising) process of a DDPM: variances β_1..β_T and the quantities derived from them, computed in double
 * precision once. Steps are 1-based; {@code alphaBar(0) = 1} so formulas at t = 1 need no special case.
 *
 * <ul>
 *   <li>α_t = 1 − β_t, ᾱ_t = Π_{s≤t} α_s</li>
 *   <li>q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I)</li>
 *   <li>q(x_{t−1} | x_t, x_0) = N(c0_t x_0 + ct_t x_t, β̃_t I) with c0_t = β_t √ᾱ_{t−1} / (1 − ᾱ_t),
 *       ct_t = (1 − ᾱ_{t−1}) √α_t / (1 − ᾱ_t), β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t</li>
 * </ul>
 */
public final class NoiseSchedule {
    /** Cosine schedule offset s (Nichol &amp; Dhariwal 2021). */
    public static final double COSINE_OFFSET = 0.008;
    /** Cosine schedule: β_t is clipped here to avoid a singularity at t = T. */
    public static final double COSINE_MAX_BETA = 0.999;

    private final String kind;
    private final int steps;
    private final double[] beta;
    private final double[] alphaBar;

    private NoiseSchedule(String kind, double[] betaFrom1) {
        this.kind = kind;
        this.steps = betaFrom1.length - 1;
        this.beta = betaFrom1;
        this.alphaBar = new double[steps + 1];
        alphaBar[0] = 1.0;
        for (int t = 1; t <= steps; t++) {
            alphaBar[t] = alphaBar[t - 1] * (1.0 - beta[t]);
        }
    }

    /**
     * Ho et al.'s linear schedule, β from 1e-4 to 0.02 over 1000 steps, rescaled for other T so that the total noise
     * stays comparable: β_t = (1000/T) · (1e-4 + (0.02 − 1e-4)(t − 1)/(T − 1)).
     *
     * @param steps T; at least 21 (β_T = 20/T must stay below 1)
     */
    public static NoiseSchedule linear(int steps) {
        if (steps < 21) {
            throw new IllegalArgumentException("linear schedule needs steps >= 21 (beta_T = 20/steps < 1), got "
                    + steps);
        }
        double scale = 1000.0 / steps;
        double lo = scale * 1e-4;
        double hi = scale * 0.02;
        double[] b = new double[steps + 1];
        for (int t = 1; t <= steps; t++) {
            b[t] = lo + (hi - lo) * (t - 1) / (steps - 1);
        }
        return new NoiseSchedule("linear", b);
    }

    /**
     * Nichol &amp; Dhariwal's cosine schedule: f(t) = cos²(π/2 · (t/T + s)/(1 + s)), β_t = min(1 − f(t)/f(t−1), 0.999),
     * s = 0.008; ᾱ_t is then the product of the clipped 1 − β_t.
     *
     * @param steps T &ge; 1
     */
    public static NoiseSchedule cosine(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("cosine schedule needs steps >= 1, got " + steps);
        }
        double[] b = new double[steps + 1];
        for (int t = 1; t <= steps; t++) {
            b[t] = Math.min(1.0 - cosineF(t, steps) / cosineF(t - 1, steps), COSINE_MAX_BETA);
        }
        return new NoiseSchedule("cosine", b);
    }

    /**
     * A schedule by name.
     *
     * @param kind "linear" or "cosine"
     */
    public static NoiseSchedule of(String kind, int steps) {
        switch (kind) {
            case "linear":
                return linear(steps);
            case "cosine":
                return cosine(steps);
            default:
                throw new IllegalArgumentException("unknown noise schedule '" + kind + "'; use linear or cosine");
        }
    }

    private static double cosineF(int t, int steps) {
        double c = Math.cos(((double) t / steps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
        return c * c;
    }

    /** "linear" or "cosine". */
    public String kind() {
        return kind;
    }

    /** T, the number of diffusion steps. */
    public int steps() {
        return steps;
    }

    /** β_t, t in 1..T. */
    public double beta(int t) {
        return beta[check(t, 1)];
    }

    /** α_t = 1 − β_t, t in 1..T. */
    public double alpha(int t) {
        return 1.0 - beta[check(t, 1)];
    }

    /** ᾱ_t = Π_{s≤t} α_s, t in 0..T (ᾱ_0 = 1). */
    public double alphaBar(int t) {
        return alphaBar[check(t, 0)];
    }

    /** Coefficient of x_0 in the posterior mean of q(x_{t−1} | x_t, x_0): β_t √ᾱ_{t−1} / (1 − ᾱ_t). */
    public double posteriorMeanCoefX0(int t) {
        check(t, 1);
        return beta[t] * Math.sqrt(alphaBar[t - 1]) / (1.0 - alphaBar[t]);
    }

    /** Coefficient of x_t in the posterior mean of q(x_{t−1} | x_t, x_0): (1 − ᾱ_{t−1}) √α_t / (1 − ᾱ_t). */
    public double posteriorMeanCoefXt(int t) {
        check(t, 1);
        return (1.0 - alphaBar[t - 1]) * Math.sqrt(1.0 - beta[t]) / (1.0 - alphaBar[t]);
    }

    /** β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t, the variance of q(x_{t−1} | x_t, x_0); 0 at t = 1. */
    public double posteriorVariance(int t) {
        check(t, 1);
        return (1.0 - alphaBar[t - 1]) / (1.0 - alphaBar[t]) * beta[t];
    }

    /**
     * x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, row i at step t[i], as a new array.
     *
     * @param x0  [n, d] float32
     * @param t   n steps in 1..T
     * @param eps [n, d] standard normal noise
     */
    public INDArray qSample(INDArray x0, int[] t, INDArray eps) {
        return qSample(x0, t, eps, Nd4j.create(DataType.FLOAT, x0.shape()));
    }

    /** {@link #qSample(INDArray, int[], INDArray)} into {@code out} ([n, d], may not alias eps); returns out. */
    public INDArray qSample(INDArray x0, int[] t, INDArray eps, INDArray out) {
        long n = x0.rows();
        if (t.length != n || eps.rows() != n || eps.columns() != x0.columns()) {
            throw new IllegalArgumentException("qSample needs x0 [n, d], t[n], eps [n, d]; got x0 "
                    + java.util.Arrays.toString(x0.shape()) + ", " + t.length + " steps, eps "
                    + java.util.Arrays.toString(eps.shape()));
        }
        float[] a = new float[t.length];
        float[] b = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            double ab = alphaBar(t[i]);
            a[i] = (float) Math.sqrt(ab);
            b[i] = (float) Math.sqrt(1.0 - ab);
        }
        INDArray ca = Nd4j.createFromArray(a).reshape(n, 1);
        INDArray cb = Nd4j.createFromArray(b).reshape(n, 1);
        out.assign(x0).muliColumnVector(ca);
        return out.addi(eps.mulColumnVector(cb));
    }

    private int check(int t, int min) {
        if (t < min || t > steps) {
            throw new IllegalArgumentException("diffusion step t must be in " + min + ".." + steps + ", got " + t);
        }
        return t;
    }

    @Override
    public String toString() {
        return "NoiseSchedule{" + kind + ", T=" + steps + '}';
    }
}
