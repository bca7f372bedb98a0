package org.fedgen.runs;

import static org.fedgen.runs.RunConfig.Builder.or;

import org.fedgen.models.gan.GanTopology;

/**
 * Defaults of a GAN run, tuned on the bundled digits (10 Dirichlet(0.5) clients) to avoid mode collapse in a few CPU
 * minutes. {@link RunConfig.Builder#build()} uses them for every shared value the caller left unset; a value that was
 * set, even to the shared default, is kept.
 */
final class GanDefaults {
    /** Hidden widths of the generator, latent side first. */
    static final int[] GENERATOR_HIDDEN = {256, 512};
    /** Hidden widths of the discriminator, data side first. */
    static final int[] DISCRIMINATOR_HIDDEN = {256, 128};

    private GanDefaults() {
    }

    /** The shared values of a run after defaulting. */
    record Resolved(int rounds, int localEpochs, int localSteps, int batchSize, double learningRate, int evalEvery,
            double mmdTemperature) {
    }

    /**
     * The given values, with the GAN defaults of the settings' topology for the null ones. One FL-GAN "local step" is
     * one generator step after n_critic critic steps; DP-FedAvg-GAN clients run n_critic critic steps per local step;
     * MD-GAN's local steps are server iterations per round.
     */
    static Resolved resolve(GanSettings g, Integer rounds, Integer localEpochs, Integer localSteps, Integer batchSize,
            Double learningRate, Integer evalEvery, Double mmdTemperature) {
        GanTopology t = g.topology();
        int r = rounds != null ? rounds : switch (t) {
            // the conditional model needs longer before G follows its label (docs/results.md)
            case FLGAN, IFLGAN -> g.conditional() ? 200 : 80;
            case DPFEDAVG_GAN -> 120;
            case MDGAN -> 20;
        };
        int steps = localSteps != null ? localSteps : localEpochs != null ? RunConfig.LOCAL_STEPS : switch (t) {
            case FLGAN, IFLGAN -> 10;
            case DPFEDAVG_GAN -> 5;
            case MDGAN -> 30;
        };
        int batch = batchSize != null ? batchSize : t == GanTopology.MDGAN ? 32 : 64;
        int every = evalEvery != null ? evalEvery : t == GanTopology.DPFEDAVG_GAN ? 40 : 10;
        // pixel MMD² scores of digits differ by ~0.01-0.1; τ = 1 keeps the softmax weights from collapsing onto one
        // client's generator, which would only know that client's labels
        double tau = mmdTemperature != null ? mmdTemperature : t == GanTopology.IFLGAN ? 1.0
                : RunConfig.MMD_TEMPERATURE;
        return new Resolved(r, or(localEpochs, RunConfig.LOCAL_EPOCHS), steps, batch, or(learningRate, 2e-4), every,
                tau);
    }
}
