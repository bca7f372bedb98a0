package org.fedgen.models.ddpm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/** A reverse-process sampler: turns x_T ~ N(0, I) into a sample x_0 with a trained denoiser. */
public interface DiffusionSampler {

    /**
     * Runs the reverse process.
     *
     * @param denoiser the ε-predictor
     * @param schedule the noise schedule it was trained with
     * @param xT       [n, d] starting noise; the sampler may overwrite it
     * @param labels   n labels for a conditional denoiser, else null
     * @param rng      source of the fresh noise a stochastic sampler adds at each step
     * @return [n, d] samples in the model's internal scale (data in [−1, 1]), not clipped
     */
    INDArray run(Denoiser denoiser, NoiseSchedule schedule, INDArray xT, int[] labels, Random rng);

    /** The number of denoiser evaluations for a schedule of T steps. */
    int evaluations(NoiseSchedule schedule);
}
