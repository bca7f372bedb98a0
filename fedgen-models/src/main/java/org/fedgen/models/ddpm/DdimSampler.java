package org.fedgen.models.ddpm;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Song et al.'s DDIM sampler with η = 0 over S ≤ T steps τ_S &gt; ... &gt; τ_1: deterministic given x_T. With
 * x̂_0 = (x_τ − √(1 − ᾱ_τ) ε_θ)/√ᾱ_τ, the step to the previous τ' (ᾱ_0 = 1 after τ_1) is
 * x_τ' = √ᾱ_τ' x̂_0 + √(1 − ᾱ_τ') ε_θ. The τ_i are round(1 + (i − 1)(T − 1)/(S − 1)), evenly spaced and always
 * including 1 and T (S = 1 uses only T); with S = T they are 1..T. Optionally x̂_0 is clipped to the data range
 * [−1, 1] at every step, as the ancestral sampler does; it is off by default because on the federated digits DDPM it
 * made FID worse ({@code docs/results.md}).
 */
public final class DdimSampler implements DiffusionSampler {
    private final int steps;
    private final boolean clipDenoised;

    /** DDIM with S steps, x̂_0 not clipped. */
    public DdimSampler(int steps) {
        this(steps, false);
    }

    /**
     * @param steps        S, the number of denoiser evaluations (&ge; 1, and at most T when run)
     * @param clipDenoised whether x̂_0 is clipped to [−1, 1] at every step
     */
    public DdimSampler(int steps, boolean clipDenoised) {
        if (steps < 1) {
            throw new IllegalArgumentException("DDIM steps must be >= 1, got " + steps);
        }
        this.steps = steps;
        this.clipDenoised = clipDenoised;
    }

    /** S. */
    public int steps() {
        return steps;
    }

    /** The steps τ_1 &lt; ... &lt; τ_S used for a schedule of T steps. */
    public int[] timesteps(int totalSteps) {
        if (steps > totalSteps) {
            throw new IllegalArgumentException("DDIM steps " + steps + " exceed the schedule's " + totalSteps
                    + " steps");
        }
        int[] tau = new int[steps];
        if (steps == 1) {
            tau[0] = totalSteps;
            return tau;
        }
        for (int i = 0; i < steps; i++) {
            tau[i] = (int) Math.round(1 + (double) i * (totalSteps - 1) / (steps - 1));
        }
        return tau;
    }

    @Override
    public INDArray run(Denoiser denoiser, NoiseSchedule schedule, INDArray xT, int[] labels, Random rng) {
        int[] tau = timesteps(schedule.steps());
        int n = (int) xT.rows();
        int[] t = new int[n];
        INDArray x = xT;
        for (int i = tau.length - 1; i >= 0; i--) {
            Arrays.fill(t, tau[i]);
            INDArray eps = denoiser.predict(x, t, labels);
            double ab = schedule.alphaBar(tau[i]);
            double abPrev = i > 0 ? schedule.alphaBar(tau[i - 1]) : 1.0;
            if (clipDenoised) {
                // x ← √ᾱ' clip(x̂_0) + √(1 − ᾱ') ε, with x̂_0 = (x − √(1 − ᾱ) ε)/√ᾱ formed in x's buffer.
                x.subi(eps.mul(Math.sqrt(1.0 - ab))).muli(1.0 / Math.sqrt(ab));
                Transforms.min(x, 1.0, false);
                Transforms.max(x, -1.0, false);
                x.muli(Math.sqrt(abPrev)).addi(eps.muli(Math.sqrt(1.0 - abPrev)));
            } else {
                double ratio = Math.sqrt(abPrev / ab);
                double epsCoef = Math.sqrt(1.0 - abPrev) - ratio * Math.sqrt(1.0 - ab);
                x.muli(ratio).addi(eps.muli(epsCoef));
            }
        }
        return x;
    }

    @Override
    public int evaluations(NoiseSchedule schedule) {
        return steps;
    }

    @Override
    public String toString() {
        return "ddim(" + steps + ", clip=" + clipDenoised + ")";
    }
}
