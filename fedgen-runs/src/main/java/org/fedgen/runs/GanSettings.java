package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

import java.util.Locale;
import java.util.Objects;
import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.gan.GanTopology;

/**
 * A GAN run's model and topology. Build with {@link #builder()}; {@link Builder#build()} checks the values and names
 * the first bad one.
 *
 * @param topology              how G and D are split between clients and server
 * @param loss                  WGAN-GP or non-saturating BCE (with one-sided label smoothing 0.9)
 * @param conditional           class-conditional: the one-hot digit is G's input and selects D's projection output
 * @param classLossWeight       conditional GAN: weight of the auxiliary class loss on D's projection head
 * @param twinClassifier        conditional GAN: a twin classifier on D's head that learns G's samples and whose
 *                              cross-entropy G maximises (TAC-GAN), so the class loss does not narrow each class
 * @param pack                  unconditional GAN: examples D judges jointly (PacGAN); 1 = one at a time
 * @param generatorAverageDecay decay of the moving average of the generator used for evaluation and samples (over
 *                              iterations for MD-GAN, over rounds for FL-GAN / IFL-GAN); 0 = the last weights
 * @param generatorSteps        DP-FedAvg-GAN: server generator steps n_gen per round
 * @param criticSteps           discriminator steps per generator step in local training; null = 1 for BCE, 5 for
 *                              WGAN-GP
 * @param mdLocalSteps          MD-GAN: discriminator steps L per client per iteration; null = n_critic
 * @param swapEpochs            MD-GAN: epochs E between discriminator swaps; 0 = never
 * @param clientCodes           MD-GAN: condition the generator on a one-hot client code weighted by the clients' data
 */
public record GanSettings(GanTopology topology, GanLoss loss, boolean conditional, double classLossWeight,
        boolean twinClassifier, int pack,
        double generatorAverageDecay, int generatorSteps, Integer criticSteps, Integer mdLocalSteps, int swapEpochs,
        boolean clientCodes) implements ModelSettings {

    /** A builder with the defaults: FL-GAN, WGAN-GP, unconditional. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.topology = topology;
        b.loss = loss;
        b.conditional = conditional;
        b.classLossWeight = classLossWeight;
        b.twinClassifier = twinClassifier;
        b.pack = pack;
        b.generatorAverageDecay = generatorAverageDecay;
        b.generatorSteps = generatorSteps;
        b.criticSteps = criticSteps;
        b.mdLocalSteps = mdLocalSteps;
        b.swapEpochs = swapEpochs;
        b.clientCodes = clientCodes;
        return b;
    }

    @Override
    public String family() {
        return "gan";
    }

    /** n_critic: the given value, or 1 for BCE and 5 for WGAN-GP. */
    public int effectiveCriticSteps() {
        return criticSteps != null ? criticSteps : loss == GanLoss.WGAN_GP ? 5 : 1;
    }

    /** L of MD-GAN: the given value, or n_critic. */
    public int effectiveMdLocalSteps() {
        return mdLocalSteps != null ? mdLocalSteps : effectiveCriticSteps();
    }

    /** Builds {@link GanSettings}; option names in messages are the CLI's. */
    public static final class Builder {
        private GanTopology topology = GanTopology.FLGAN;
        private GanLoss loss = GanLoss.WGAN_GP;
        private boolean conditional;
        private double classLossWeight = 2.0;
        private boolean twinClassifier;
        private int pack = 1;
        private double generatorAverageDecay = 0.0;
        private int generatorSteps = 5;
        private Integer criticSteps;
        private Integer mdLocalSteps;
        private int swapEpochs = 1;
        private boolean clientCodes;

        private Builder() {
        }

        /** Sets {@code topology}: how G and D are split between clients and server. */
        public Builder topology(GanTopology v) {
            topology = Objects.requireNonNull(v, "topology");
            return this;
        }

        /** Sets {@code loss}: WGAN-GP or non-saturating BCE (with one-sided label smoothing 0.9). */
        public Builder loss(GanLoss v) {
            loss = Objects.requireNonNull(v, "loss");
            return this;
        }

        /**
         * Sets {@code conditional}: class-conditional: the one-hot digit is G's input and selects D's projection
         * output.
         */
        public Builder conditional(boolean v) {
            conditional = v;
            return this;
        }

        /** Sets {@code classLossWeight}: conditional GAN: weight of the auxiliary class loss on D's projection head. */
        public Builder classLossWeight(double v) {
            classLossWeight = v;
            return this;
        }

        /**
         * Sets {@code twinClassifier}: conditional GAN: a twin classifier on D's head that learns G's samples and
         * whose cross-entropy G maximises (TAC-GAN).
         */
        public Builder twinClassifier(boolean v) {
            twinClassifier = v;
            return this;
        }

        /** Sets {@code pack}: unconditional GAN: examples D judges jointly (PacGAN); 1 = one at a time. */
        public Builder pack(int v) {
            pack = v;
            return this;
        }

        /**
         * Sets {@code generatorAverageDecay}: decay of the moving average of the generator used for evaluation and
         * samples (over iterations for MD-GAN, over rounds for FL-GAN / IFL-GAN); 0 = the last weights.
         */
        public Builder generatorAverageDecay(double v) {
            generatorAverageDecay = v;
            return this;
        }

        /** Sets {@code generatorSteps}: DP-FedAvg-GAN: server generator steps n_gen per round. */
        public Builder generatorSteps(int v) {
            generatorSteps = v;
            return this;
        }

        /** Null = the loss's default. */
        public Builder criticSteps(Integer v) {
            criticSteps = v;
            return this;
        }

        /** Null = n_critic. */
        public Builder mdLocalSteps(Integer v) {
            mdLocalSteps = v;
            return this;
        }

        /** Sets {@code swapEpochs}: MD-GAN: epochs E between discriminator swaps; 0 = never. */
        public Builder swapEpochs(int v) {
            swapEpochs = v;
            return this;
        }

        /**
         * Sets {@code clientCodes}: MD-GAN: condition the generator on a one-hot client code weighted by the clients'
         * data.
         */
        public Builder clientCodes(boolean v) {
            clientCodes = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public GanSettings build() {
            require(classLossWeight >= 0 && Double.isFinite(classLossWeight), "--class-loss-weight must be finite "
                    + "and >= 0, got " + classLossWeight);
            require(!twinClassifier || conditional, "--twin-classifier needs a conditional GAN (add --conditional)");
            require(pack >= 1, "--pack must be >= 1, got " + pack);
            require(pack == 1 || !conditional, "--pack " + pack + " needs an unconditional GAN (drop --conditional)");
            require(generatorAverageDecay >= 0 && generatorAverageDecay < 1, "--generator-average must be in [0, 1), "
                    + "got " + generatorAverageDecay);
            require(generatorAverageDecay == 0 || topology != GanTopology.DPFEDAVG_GAN, "--generator-average "
                    + generatorAverageDecay + " does not apply to dpfedavg-gan, whose generator the server trains "
                    + "after aggregation");
            require(generatorSteps >= 1, "--gen-steps must be >= 1, got " + generatorSteps);
            require(criticSteps == null || criticSteps >= 1, "--critic-steps must be >= 1, got " + criticSteps);
            require(mdLocalSteps == null || mdLocalSteps >= 0, "--md-local-steps must be >= 0, got " + mdLocalSteps);
            require(swapEpochs >= 0, "--swap-epochs must be >= 0, got " + swapEpochs);
            require(!clientCodes || topology == GanTopology.MDGAN, "--client-codes needs --topology mdgan, got "
                    + topology.name().toLowerCase(Locale.ROOT));
            require(!clientCodes || !conditional, "--client-codes needs an unconditional GAN (drop --conditional)");
            return new GanSettings(topology, loss, conditional, classLossWeight, twinClassifier, pack,
                    generatorAverageDecay, generatorSteps, criticSteps, mdLocalSteps, swapEpochs, clientCodes);
        }
    }
}
