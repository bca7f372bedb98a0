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

/** Builds the DDPM that {@link DdpmSettings} describe, for 28x28 digits or (MLP denoiser) rows of any width. */
public final class DdpmModels {
    private DdpmModels() {
    }

    /** A fresh model with these settings. */
    public static Ddpm newModel(DdpmSettings s) {
        return newModel(s, 28 * 28);
    }

    /** A fresh model with these settings for {@code features} inputs (the U-Net takes 784 only). */
    public static Ddpm newModel(DdpmSettings s, int features) {
        NoiseSchedule schedule = NoiseSchedule.of(s.schedule().name(), s.timesteps());
        // the U-Net has no skip of its own: give it the fixed one
        return Ddpm.builder(newDenoiser(s, schedule, features)).schedule(schedule).sampler(newSampler(s))
                .minSnrGamma(s.minSnrGamma()).inputSkip(s.denoiser() == DdpmSettings.DenoiserKind.unet)
                .labelDropout(s.labelDropout()).guidance(s.guidance()).build();
    }

    /** A fresh denoiser; the MLP gets the prior skip for {@code schedule}. */
    static Denoiser newDenoiser(DdpmSettings s, NoiseSchedule schedule, int features) {
        int classes = s.conditional() ? 10 : 0;
        if (s.denoiser() == DdpmSettings.DenoiserKind.unet) {
            int[] c = s.unetChannels();
            return new UNetDenoiser(28, 28, c[0], c[1], 64, classes);
        }
        int[] hidden = new int[s.mlpDepth()];
        Arrays.fill(hidden, s.mlpWidth());
        return new MlpDenoiser(features, hidden, 128, classes, Activation.SILU, schedule);
    }

    /** The sampler the settings choose. */
    static DiffusionSampler newSampler(DdpmSettings s) {
        return s.sampler() == DdpmSettings.SamplerKind.ddpm ? new AncestralSampler() : new DdimSampler(s.ddimSteps());
    }
}
