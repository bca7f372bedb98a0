package org.fedgen.runs;

import java.util.Arrays;
import org.fedgen.models.ddpm.Activation;
import org.fedgen.models.ddpm.AncestralSampler;
import org.fedgen.models.ddpm.DdimSampler;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.Denoiser;
import org.fedgen.models.ddpm.DiffusionSampler;
import org.fedgen.models.ddpm.MlpDenoiser;
import org.fedgen.models.ddpm.NoiseSchedule;
import org.fedgen.models.ddpm.UNetDenoiser;

/**
 * Builds the DDPM that {@link DdpmSettings} describe, for 28x28 digits, grayscale images of another size, or (MLP
 * denoiser) rows of any width.
 */
public final class DdpmModels {
    private DdpmModels() {
    }

    /** A fresh model with these settings for 28x28 digits. */
    public static Ddpm newModel(DdpmSettings s) {
        return newModel(s, 28, 28);
    }

    /** A fresh model for rows of {@code features} values: an image of 1 × features (the MLP denoiser only). */
    public static Ddpm newModel(DdpmSettings s, int features) {
        return newModel(s, 1, features);
    }

    /**
     * A fresh model with these settings for grayscale images of {@code height} × {@code width}.
     *
     * @throws IllegalArgumentException for the U-Net and an odd height or width, naming them
     */
    public static Ddpm newModel(DdpmSettings s, int height, int width) {
        NoiseSchedule schedule = NoiseSchedule.of(s.schedule().name(), s.timesteps());
        // the U-Net has no skip of its own: give it the fixed one
        return Ddpm.builder(newDenoiser(s, schedule, height, width)).schedule(schedule).sampler(newSampler(s))
                .minSnrGamma(s.minSnrGamma()).inputSkip(s.denoiser() == DdpmSettings.DenoiserKind.unet)
                .labelDropout(s.labelDropout()).guidance(s.guidance()).guidanceInterval(s.interval())
                .guidanceSchedule(s.weightSchedule()).build();
    }

    /** A fresh denoiser for height × width images; the MLP gets the prior skip for {@code schedule}. */
    static Denoiser newDenoiser(DdpmSettings s, NoiseSchedule schedule, int height, int width) {
        int classes = s.conditional() ? 10 : 0;
        if (s.denoiser() == DdpmSettings.DenoiserKind.unet) {
            int[] c = s.unetChannels();
            if (height % 2 != 0 || width % 2 != 0) {
                throw new IllegalArgumentException("--denoiser unet needs an even image height and width (it halves "
                        + "them once), got " + height + "x" + width + "; use --denoiser mlp or resize the images");
            }
            if (c.length == 3 && (height % 4 != 0 || width % 4 != 0)) {
                throw new IllegalArgumentException("--unet-channels with three counts needs an image height and width "
                        + "that are multiples of 4 (it halves them twice), got " + height + "x" + width);
            }
            return new UNetDenoiser(height, width, c, 64, classes);
        }
        int[] hidden = new int[s.mlpDepth()];
        Arrays.fill(hidden, s.mlpWidth());
        return new MlpDenoiser(height * width, hidden, 128, classes, Activation.SILU, schedule);
    }

    /** The sampler the settings choose. */
    static DiffusionSampler newSampler(DdpmSettings s) {
        return s.sampler() == DdpmSettings.SamplerKind.ddpm ? new AncestralSampler() : new DdimSampler(s.ddimSteps());
    }
}
