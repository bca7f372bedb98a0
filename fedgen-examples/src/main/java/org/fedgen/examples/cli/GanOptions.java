package org.fedgen.examples.cli;

import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.runs.GanSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** GAN-specific options of a run ({@code --model gan}); a picocli mixin of {@link RunOptions}. */
public final class GanOptions {
    @Option(names = "--topology", converter = TopologyConverter.class, description = "GAN topology: flgan, "
            + "dpfedavg-gan, mdgan, iflgan (default: ${DEFAULT-VALUE}).")
    public GanTopology topology = GanTopology.FLGAN;

    @Option(names = "--gan-loss", converter = LossConverter.class, description = "GAN loss: wgan-gp or bce "
            + "(non-saturating, with one-sided label smoothing 0.9) (default: wgan-gp).")
    public GanLoss loss = GanLoss.WGAN_GP;

    /**
     * Class-conditional GAN (the one-hot digit is G's input and selects D's projection output); set by the shared
     * {@code --conditional}.
     */
    public boolean conditional;

    @Option(names = "--class-loss-weight", description = "Conditional GAN: weight of the auxiliary class loss on the "
            + "discriminator's projection head; 0 = pure projection discriminator (default: ${DEFAULT-VALUE}).")
    public double classLossWeight = 2.0;

    @Option(names = "--twin-classifier", description = "Conditional GAN: add a twin classifier to the "
            + "discriminator's head that learns the generator's samples and whose cross-entropy the generator "
            + "maximises (TAC-GAN), so the class loss does not narrow each digit to a few styles.")
    public boolean twinClassifier;

    @Option(names = "--pack", description = "Unconditional GAN: examples the discriminator judges jointly "
            + "(PacGAN); 1 = one at a time (default: ${DEFAULT-VALUE}).")
    public int pack = 1;

    @Option(names = "--generator-average", description = "Decay of an exponential moving average of the generator "
            + "that evaluation, grids and samples use: over iterations for mdgan, over rounds (of the whole global "
            + "model) for flgan and iflgan; 0 = the last weights (default: ${DEFAULT-VALUE}).")
    public double generatorAverageDecay = 0.0;

    @Option(names = "--gen-steps", description = "DP-FedAvg-GAN: server generator steps n_gen per round "
            + "(default: ${DEFAULT-VALUE}).")
    public int generatorSteps = 5;

    @Option(names = "--critic-steps", description = "Discriminator steps per generator step in local training "
            + "(default: 1 for bce, 5 for wgan-gp).")
    public Integer criticSteps;

    @Option(names = "--md-local-steps", description = "MD-GAN: discriminator steps L per client per iteration "
            + "(default: n_critic).")
    public Integer mdLocalSteps;

    @Option(names = "--swap-epochs", description = "MD-GAN: epochs E between discriminator swaps; 0 = never "
            + "(default: ${DEFAULT-VALUE}).")
    public int swapEpochs = 1;

    @Option(names = "--client-codes", description = "MD-GAN: condition the server's generator on a one-hot client "
            + "code; client k's discriminator judges only G(z, k), and samples draw code k with probability n_k/N, so "
            + "a class held by few clients is not judged fake by the others (the server then sees each client's "
            + "distribution separately).")
    public boolean clientCodes;

    /**
     * The library settings these options describe.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public GanSettings toSettings() {
        return GanSettings.builder().topology(topology).loss(loss).conditional(conditional)
                .classLossWeight(classLossWeight).twinClassifier(twinClassifier).pack(pack)
                .generatorAverageDecay(generatorAverageDecay)
                .generatorSteps(generatorSteps).criticSteps(criticSteps).mdLocalSteps(mdLocalSteps)
                .swapEpochs(swapEpochs).clientCodes(clientCodes).build();
    }

    /** Parses {@code --topology}. */
    static final class TopologyConverter implements ITypeConverter<GanTopology> {
        @Override
        public GanTopology convert(String value) {
            return GanTopology.parse(value);
        }
    }

    /** Parses {@code --gan-loss}: bce or wgan-gp. */
    static final class LossConverter implements ITypeConverter<GanLoss> {
        @Override
        public GanLoss convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "bce" -> GanLoss.NON_SATURATING_BCE;
                case "wgan-gp" -> GanLoss.WGAN_GP;
                default -> throw new IllegalArgumentException("unknown GAN loss '" + value
                        + "'; valid: bce, wgan-gp");
            };
        }
    }
}
