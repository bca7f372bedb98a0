package org.fedgen.models.ddpm;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Ho et al.'s ancestral sampler over all T steps: x̂_0 = (x_t − √(1 − ᾱ_t) ε_θ)/√ᾱ_t (optionally clipped to [−1, 1]),
 * then x_{t−1} = c0_t x̂_0 + ct_t x_t + √β̃_t z with the posterior coefficients of {@link NoiseSchedule} (no noise at
 * t = 1). Without clipping this is exactly x_{t−1} = (x_t − β_t/√(1 − ᾱ_t) ε_θ)/√α_t + √β̃_t z; clipping keeps samples
 * of a briefly trained model in range, as Ho et al.'s code does.
 */
public final class AncestralSampler implements DiffusionSampler {
    private final boolean clipDenoised;

    /** @param clipDenoised whether x̂_0 is clipped to [−1, 1] at every step */
    public AncestralSampler(boolean clipDenoised) {
        this.clipDenoised = clipDenoised;
    }

    /** The sampler with clipping, as in Ho et al.'s code. */
    public AncestralSampler() {
        this(true);
    }

    @Override
    public INDArray run(Denoiser denoiser, NoiseSchedule schedule, INDArray xT, int[] labels, Random rng) {
        int n = (int) xT.rows();
        INDArray x = xT;
        INDArray x0 = Nd4j.create(DataType.FLOAT, xT.shape());
        INDArray z = Nd4j.create(DataType.FLOAT, xT.shape());
        int[] t = new int[n];
        for (int step = schedule.steps(); step >= 1; step--) {
            Arrays.fill(t, step);
            INDArray eps = denoiser.predict(x, t, labels);
            double ab = schedule.alphaBar(step);
            x0.assign(eps).muli(-Math.sqrt(1.0 - ab)).addi(x).muli(1.0 / Math.sqrt(ab));
            if (clipDenoised) {
                Transforms.min(x0, 1.0, false);
                Transforms.max(x0, -1.0, false);
            }
            x.muli(schedule.posteriorMeanCoefXt(step)).addi(x0.muli(schedule.posteriorMeanCoefX0(step)));
            if (step > 1) {
                Nd4j.getExecutioner().exec(new GaussianDistribution(z, 0.0,
                        Math.sqrt(schedule.posteriorVariance(step))), rng);
                x.addi(z);
            }
        }
        return x;
    }

    @Override
    public int evaluations(NoiseSchedule schedule) {
        return schedule.steps();
    }

    @Override
    public String toString() {
        return "ancestral(clip=" + clipDenoised + ")";
    }
}
