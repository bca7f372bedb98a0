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
    static final int[] DISCRIMINATOR_HIDDEN = {512, 256};

    private GanDefaults() {
    }

    /** Replaces the shared options still at their shared defaults by the GAN defaults of the options' topology. */
    public static void apply(RunOptions o) {
        RunOptions shared = new RunOptions();
        boolean md = o.gan.topology == GanTopology.MDGAN;
        if (o.learningRate == shared.learningRate) {
            o.learningRate = 3e-4;
        }
        if (o.batchSize == shared.batchSize) {
            o.batchSize = md ? 32 : 64;
        }
        if (o.rounds == shared.rounds) {
            o.rounds = 40;
        }
        if (o.localSteps == shared.localSteps && o.localEpochs == shared.localEpochs) {
            // FL topologies: K local iterations per round; MD-GAN: server iterations per round
            o.localSteps = switch (o.gan.topology) {
                case FLGAN, IFLGAN -> 50;
                case DPFEDAVG_GAN -> 25;
                case MDGAN -> 50;
            };
        }
        if (o.evalEvery == shared.evalEvery) {
            o.evalEvery = 10;
        }
    }
}
