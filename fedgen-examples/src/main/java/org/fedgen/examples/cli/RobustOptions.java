package org.fedgen.examples.cli;

import org.fedgen.runs.AggregatorKind;
import org.fedgen.runs.AttackKind;
import org.fedgen.runs.DashedNames;
import org.fedgen.runs.RobustSettings;
import picocli.CommandLine.Option;


/**
 * Options of the robust aggregators ({@code --aggregator median|trimmed-mean|krum|multi-krum|norm-bound|rfa}), of the
 * bound on client weights, and of simulated attacks ({@code --attack}).
 */
public final class RobustOptions {
    /** Maps {@code sign-flip} and the like to the enum constants. */
    public static final class AttackKindConverter implements picocli.CommandLine.ITypeConverter<AttackKind> {
        @Override
        public AttackKind convert(String value) {
            return parse(AttackKind.class, "--attack", value);
        }
    }

    @Option(names = "--trim-fraction", paramLabel = "beta", description = "trimmed-mean: fraction beta dropped at each "
            + "end per coordinate, in [0, 0.5) (default: ${DEFAULT-VALUE}).")
    public double trimFraction = 0.1;

    @Option(names = "--krum-f", paramLabel = "f", description = "krum, multi-krum: Byzantine clients tolerated; rounds "
            + "need >= 2f+3 clients (default: ${DEFAULT-VALUE}).")
    public int krumF = 1;

    @Option(names = "--krum-m", paramLabel = "m", description = "multi-krum: lowest-scoring updates averaged; 0 = n - f "
            + "(default: ${DEFAULT-VALUE}).")
    public int krumM = 0;

    @Option(names = "--norm-bound", paramLabel = "M", description = "norm-bound: each client's delta is clipped to L2 "
            + "norm M before averaging (default: ${DEFAULT-VALUE}).")
    public double normBound = 1.0;

    @Option(names = "--rfa-iterations", paramLabel = "R", description = "rfa: smoothed Weiszfeld iterations (default: "
            + "${DEFAULT-VALUE}).")
    public int rfaIterations = 3;

    @Option(names = "--rfa-nu", paramLabel = "nu", description = "rfa: smoothing nu of the Weiszfeld weights (default: "
            + "${DEFAULT-VALUE}).")
    public double rfaNu = 1e-6;

    @Option(names = "--max-client-weight", paramLabel = "rho", description = {"Largest share of a round's examples one "
            + "client may count for, in (0, 1]; larger claims are water-filled down (default: ${DEFAULT-VALUE}: only "
            + "the known shard sizes bound the claims). Also caps the MMD aggregator's weights."})
    public double maxClientWeight = 1.0;

    @Option(names = "--attack", paramLabel = "KIND", converter = AttackKindConverter.class, description = {
        "Simulated attack by a fraction of the clients: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
        "sign-flip sends -s times the honest delta, scale s times it, gaussian adds N(0, s^2) noise per coordinate;",
        "label-flip (conditional models) trains on labels 9 - y; backdoor (conditional models) replaces half of the",
        "attacker's examples by a 6x6 white corner square labelled --backdoor-label."})
    public AttackKind attack = AttackKind.none;

    @Option(names = "--attack-fraction", paramLabel = "F", description = "Fraction of clients that attack: round(F * "
            + "clients) ids drawn from the seed (default: ${DEFAULT-VALUE}).")
    public double attackFraction = 0.2;

    @Option(names = "--attack-scale", paramLabel = "s", description = "s of sign-flip, scale and gaussian (default: "
            + "${DEFAULT-VALUE}).")
    public double attackScale = 4.0;

    @Option(names = "--backdoor-label", paramLabel = "y", description = "backdoor: the label that should yield the "
            + "trigger (default: ${DEFAULT-VALUE}).")
    public int backdoorLabel = 0;

    /**
     * The settings these options give.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    RobustSettings toSettings() {
        return new RobustSettings(trimFraction, krumF, krumM, normBound, rfaIterations, rfaNu, maxClientWeight,
                attack, attackFraction, attackScale, backdoorLabel);
    }

    /** Maps {@code trimmed-mean} and the like to the enum constants. */
    public static final class AggregatorKindConverter implements picocli.CommandLine.ITypeConverter<AggregatorKind> {
        @Override
        public AggregatorKind convert(String value) {
            return parse(AggregatorKind.class, "--aggregator", value);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        try {
            return DashedNames.parse(type, option, value);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
