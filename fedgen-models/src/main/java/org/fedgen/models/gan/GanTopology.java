package org.fedgen.models.gan;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a federated GAN is split between clients and server. The model pieces of each topology are in this package
 * ({@link GeneratorServerStep} for DP-FedAvg-GAN, {@link MdGanServerStep} with {@link MdGanTrainer} for MD-GAN; the
 * MMD aggregator of IFL-GAN is in core); wiring a topology into a run, with DP, is the fedgen-runs module's job.
 */
public enum GanTopology {
    /** FL-GAN / FedGAN: clients train G and D for K local steps; both are aggregated by the chosen aggregator. */
    FLGAN("flgan"),
    /**
     * DP-FedAvg-GAN: clients train only D against fakes of the broadcast G; the server aggregates D and then trains G
     * against the new D for n_gen steps.
     */
    DPFEDAVG_GAN("dpfedavg-gan"),
    /** MD-GAN: the server holds the only G and exchanges generated batches and their gradients with the clients. */
    MDGAN("mdgan"),
    /** IFL-GAN: FL-GAN whose generator is aggregated with MMD-softmax weights from the clients' own scores. */
    IFLGAN("iflgan");

    private final String cliName;

    GanTopology(String cliName) {
        this.cliName = cliName;
    }

    /** The topology's short name (as on the command line). */
    public String cliName() {
        return cliName;
    }

    @Override
    public String toString() {
        return cliName;
    }

    /**
     * The topology with the given command-line name.
     *
     * @throws IllegalArgumentException naming the bad value and the valid ones
     */
    public static GanTopology parse(String name) {
        for (GanTopology t : values()) {
            if (t.cliName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown GAN topology '" + name + "'; valid: "
                + Arrays.stream(values()).map(GanTopology::cliName).collect(Collectors.joining(", ")));
    }
}
