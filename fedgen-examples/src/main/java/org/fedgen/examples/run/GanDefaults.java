package org.fedgen.examples.run;

/**
 * Defaults of {@code --model gan}, tuned on the bundled digits (10 Dirichlet(0.5) clients) to avoid mode collapse in
 * a few CPU minutes. The shared options' defaults suit the VAE, so for a GAN run every shared option still at its
 * shared default value is replaced by the GAN's (an option explicitly given with the very value of the shared
 * default is therefore replaced too).
 */
public final class GanDefaults {
    /** Hidden widths of the generator, latent side first. */
    static final int[] GENERATOR_HIDDEN = {256, 512};
    /** Hidden widths of the discriminator, data side first. */
    static final int[] DISCRIMINATOR_HIDDEN = {256, 128};

    private GanDefaults() {
    }

    /**
     * Replaces the shared options still at their shared defaults by the GAN defaults of the options' topology. One
     * FL-GAN "local step" is one generator step after n_critic critic steps; DP-FedAvg-GAN clients run n_critic
     * critic steps per local step; MD-GAN's local steps are server iterations per round.
     */
    public static void apply(RunOptions o) {
        RunOptions shared = new RunOptions();
        GanTopology t = o.gan.topology;
        if (o.learningRate == shared.learningRate) {
            o.learningRate = 2e-4;
        }
        if (o.batchSize == shared.batchSize) {
            o.batchSize = t == GanTopology.MDGAN ? 32 : 64;
        }
        if (o.rounds == shared.rounds) {
            o.rounds = switch (t) {
                // the conditional model needs longer before G follows its label (docs/results.md)
                case FLGAN, IFLGAN -> o.gan.conditional ? 200 : 80;
                case DPFEDAVG_GAN -> 120;
                case MDGAN -> 20;
            };
        }
        if (o.localSteps == shared.localSteps && o.localEpochs == shared.localEpochs) {
            o.localSteps = switch (t) {
                case FLGAN, IFLGAN -> 10;
                case DPFEDAVG_GAN -> 5;
                case MDGAN -> 30;
            };
        }
        if (o.evalEvery == shared.evalEvery) {
            o.evalEvery = t == GanTopology.DPFEDAVG_GAN ? 40 : 10;
        }
        if (t == GanTopology.IFLGAN && o.mmdTemperature == shared.mmdTemperature) {
            // pixel MMD² scores of digits differ by ~0.01-0.1; τ = 1 keeps the softmax weights from
            // collapsing onto one client's generator, which would only know that client's labels
            o.mmdTemperature = 1.0;
        }
    }
}
