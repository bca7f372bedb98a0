package org.fedgen.examples.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.aggregate.CoordinateMedian;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.GeometricMedian;
import org.fedgen.core.aggregate.Krum;
import org.fedgen.core.aggregate.NormBound;
import org.fedgen.core.aggregate.TrimmedMean;
import org.fedgen.core.attack.Attackers;
import org.fedgen.core.attack.Backdoor;
import org.fedgen.core.attack.GaussianNoise;
import org.fedgen.core.attack.LabelFlip;
import org.fedgen.core.attack.PoisonedClient;
import org.fedgen.core.attack.ScaledDelta;
import org.fedgen.core.attack.UpdateAttack;
import org.fedgen.core.data.Dataset;
import picocli.CommandLine.Option;

/**
 * Options of the robust aggregators ({@code --aggregator median|trimmed-mean|krum|multi-krum|norm-bound|rfa}), of the
 * bound on client weights, and of simulated attacks ({@code --attack}).
 */
public final class RobustOptions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RobustOptions.class);

    /** Simulated attacks. */
    public enum AttackKind { none, sign_flip, scale, gaussian, label_flip, backdoor;

        @Override
        public String toString() {
            return DashedNames.of(this);
        }
    }

    /** Maps {@code sign-flip} and the like to the enum constants. */
    public static final class AttackKindConverter implements picocli.CommandLine.ITypeConverter<AttackKind> {
        @Override
        public AttackKind convert(String value) {
            return DashedNames.parse(AttackKind.class, "--attack", value);
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

    /** Checks option values, naming the first bad one. */
    public void validate(int clients, int clientsPerRound) {
        require(trimFraction >= 0 && trimFraction < 0.5, "--trim-fraction must be in [0, 0.5), got " + trimFraction);
        require(krumF >= 0, "--krum-f must be >= 0, got " + krumF);
        require(krumM >= 0, "--krum-m must be >= 0, got " + krumM);
        require(normBound > 0 && Double.isFinite(normBound), "--norm-bound must be finite and > 0, got " + normBound);
        require(rfaIterations >= 1, "--rfa-iterations must be >= 1, got " + rfaIterations);
        require(rfaNu > 0 && Double.isFinite(rfaNu), "--rfa-nu must be finite and > 0, got " + rfaNu);
        require(maxClientWeight > 0 && maxClientWeight <= 1, "--max-client-weight must be in (0, 1], got "
                + maxClientWeight);
        require(attackFraction >= 0 && attackFraction <= 1, "--attack-fraction must be in [0, 1], got "
                + attackFraction);
        require(Double.isFinite(attackScale) && (attack != AttackKind.gaussian || attackScale >= 0),
                "--attack-scale must be finite (and >= 0 for gaussian), got " + attackScale);
        require(backdoorLabel >= 0 && backdoorLabel <= 9, "--backdoor-label must be a digit 0-9, got "
                + backdoorLabel);
    }

    /** The robust rule an {@code --aggregator} value names, or null if it names none. */
    Aggregator aggregator(RunOptions.AggregatorKind kind, int perRound) {
        Aggregator a = switch (kind) {
            case median -> new CoordinateMedian();
            case trimmed_mean -> new TrimmedMean(trimFraction);
            case krum -> Krum.krum(krumF);
            case multi_krum -> Krum.multiKrum(krumF, krumM);
            case norm_bound -> new NormBound(normBound);
            case rfa -> new GeometricMedian(rfaIterations, rfaNu, FedAvg.Weighting.SAMPLES);
            default -> null;
        };
        if (a instanceof Krum k) {
            try {
                k.requireEnough(perRound);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--aggregator " + kind + " with --krum-f " + krumF + " --krum-m "
                        + krumM + ": " + e.getMessage());
            }
        }
        return a;
    }

    /** The attackers' ids among clients 0..n−1. */
    java.util.SortedSet<Integer> attackers(int clients, long seed) {
        if (attack == AttackKind.none) {
            return new java.util.TreeSet<>();
        }
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ids.add(i);
        }
        return Attackers.choose(ids, attackFraction, seed);
    }

    /** Wraps the model-poisoning attackers' proxies; identity for no attack or a data-poisoning attack. */
    UnaryOperator<ClientProxy> clientWrapper(int clients, long seed) {
        UpdateAttack a = switch (attack) {
            case sign_flip -> ScaledDelta.signFlip(attackScale);
            case scale -> ScaledDelta.scaling(attackScale);
            case gaussian -> new GaussianNoise(attackScale);
            default -> null;
        };
        if (a == null) {
            return UnaryOperator.identity();
        }
        Set<Integer> bad = attackers(clients, seed);
        LOG.info("attack {} (s = {}) by clients {}", attack, attackScale, bad);
        return p -> bad.contains(p.clientId()) ? new PoisonedClient(p, a) : p;
    }

    /** The backdoor of {@code --attack backdoor} (a 6×6 square of 1 in the corner of a 28×28 image of 0). */
    Backdoor backdoor() {
        return new Backdoor(backdoorLabel, Backdoor.cornerSquare(28, 28, 6, 0f, 1f), 0.5);
    }

    /** Samples drawn for the backdoor label at each evaluation. */
    static final int BACKDOOR_SAMPLES = 100;
    /** Mean absolute pixel difference to the trigger that counts as drawing it. */
    static final double BACKDOOR_TOLERANCE = 0.1;

    /**
     * {@code backdoor_success}: the fraction of {@value #BACKDOOR_SAMPLES} samples of {@code --backdoor-label} that
     * match the trigger within {@value #BACKDOOR_TOLERANCE} (see {@link Backdoor#success}); nothing without
     * {@code --attack backdoor}.
     */
    java.util.Map<String, Double> backdoorSuccess(ModelRecipe recipe, org.fedgen.core.ModelState global, long seed) {
        if (attack != AttackKind.backdoor) {
            return java.util.Map.of();
        }
        int[] labels = new int[BACKDOOR_SAMPLES];
        java.util.Arrays.fill(labels, backdoorLabel);
        return java.util.Map.of("backdoor_success", backdoor().success(recipe.sample(global, labels, seed),
                BACKDOOR_TOLERANCE));
    }

    /** The shards with the data-poisoning attackers' shards replaced; the same list for other attacks. */
    List<Dataset> poisonedShards(List<Dataset> shards, long seed, boolean conditional) {
        if (attack != AttackKind.label_flip && attack != AttackKind.backdoor) {
            return shards;
        }
        require(conditional, "--attack " + attack + " needs a conditional model (--conditional)");
        Set<Integer> bad = attackers(shards.size(), seed);
        LOG.info("attack {} by clients {}", attack, bad);
        List<Dataset> out = new ArrayList<>(shards);
        for (int id : bad) {
            out.set(id, attack == AttackKind.label_flip ? new LabelFlip(10).apply(out.get(id))
                    : backdoor().apply(out.get(id)));
        }
        return out;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
