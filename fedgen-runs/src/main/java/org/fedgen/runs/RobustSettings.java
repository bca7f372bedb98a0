package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of the robust aggregators ({@link AggregatorKind#robust()}), of the bound on client weights, and of a
 * simulated attack. Immutable; the compact constructor checks every value, naming the CLI option.
 *
 * @param trimFraction    trimmed mean: fraction β dropped at each end per coordinate, in [0, 0.5)
 * @param krumF           Krum, Multi-Krum: Byzantine clients tolerated (rounds need ≥ 2f + 3 clients)
 * @param krumM           Multi-Krum: lowest-scoring updates averaged; 0 = n − f
 * @param normBound       norm bounding: each delta is clipped to this L2 norm before averaging
 * @param rfaIterations   RFA: smoothed Weiszfeld iterations
 * @param rfaNu           RFA: smoothing ν of the Weiszfeld weights
 * @param maxClientWeight largest share of a round's examples one client may count for, in (0, 1]
 * @param attack          the simulated attack
 * @param attackFraction  fraction of the clients that attack (round(F · clients) ids drawn from the seed)
 * @param attackScale     s of sign flip, scaling and Gaussian noise
 * @param backdoorLabel   backdoor: the label that should yield the trigger
 */
public record RobustSettings(double trimFraction, int krumF, int krumM, double normBound, int rfaIterations,
        double rfaNu, double maxClientWeight, AttackKind attack, double attackFraction, double attackScale,
        int backdoorLabel) {
    private static final Logger LOG = LoggerFactory.getLogger(RobustSettings.class);

    /** Checks every value, naming the first bad one. */
    public RobustSettings {
        require(trimFraction >= 0 && trimFraction < 0.5, "--trim-fraction must be in [0, 0.5), got " + trimFraction);
        require(krumF >= 0, "--krum-f must be >= 0, got " + krumF);
        require(krumM >= 0, "--krum-m must be >= 0, got " + krumM);
        require(normBound > 0 && Double.isFinite(normBound), "--norm-bound must be finite and > 0, got " + normBound);
        require(rfaIterations >= 1, "--rfa-iterations must be >= 1, got " + rfaIterations);
        require(rfaNu > 0 && Double.isFinite(rfaNu), "--rfa-nu must be finite and > 0, got " + rfaNu);
        require(maxClientWeight > 0 && maxClientWeight <= 1, "--max-client-weight must be in (0, 1], got "
                + maxClientWeight);
        require(attack != null, "attack must not be null");
        require(attackFraction >= 0 && attackFraction <= 1, "--attack-fraction must be in [0, 1], got "
                + attackFraction);
        require(Double.isFinite(attackScale) && (attack != AttackKind.gaussian || attackScale >= 0),
                "--attack-scale must be finite (and >= 0 for gaussian), got " + attackScale);
        require(backdoorLabel >= 0 && backdoorLabel <= 9, "--backdoor-label must be a digit 0-9, got "
                + backdoorLabel);
    }

    /** The defaults: β = 0.1, f = 1, m = n − f, M = 1, 3 Weiszfeld iterations, ν = 1e-6, no weight cap, no attack. */
    public static RobustSettings defaults() {
        return new RobustSettings(0.1, 1, 0, 1.0, 3, 1e-6, 1.0, AttackKind.none, 0.2, 4.0, 0);
    }

    /** The robust rule an {@code --aggregator} value names, or null if it names none. */
    public Aggregator aggregator(AggregatorKind kind, int perRound) {
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
    public java.util.SortedSet<Integer> attackers(int clients, long seed) {
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
    public UnaryOperator<ClientProxy> clientWrapper(int clients, long seed) {
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
    public Backdoor backdoor() {
        return new Backdoor(backdoorLabel, Backdoor.cornerSquare(28, 28, 6, 0f, 1f), 0.5);
    }

    /** Samples drawn for the backdoor label at each evaluation. */
    public static final int BACKDOOR_SAMPLES = 100;
    /** Mean absolute pixel difference to the trigger that counts as drawing it. */
    public static final double BACKDOOR_TOLERANCE = 0.1;

    /**
     * {@code backdoor_success}: the fraction of {@value #BACKDOOR_SAMPLES} samples of {@code --backdoor-label} that
     * match the trigger within {@value #BACKDOOR_TOLERANCE} (see {@link Backdoor#success}); nothing without
     * {@code --attack backdoor}.
     */
    public java.util.Map<String, Double> backdoorSuccess(ModelRecipe recipe, org.fedgen.core.ModelState global, long seed) {
        if (attack != AttackKind.backdoor) {
            return java.util.Map.of();
        }
        int[] labels = new int[BACKDOOR_SAMPLES];
        java.util.Arrays.fill(labels, backdoorLabel);
        return java.util.Map.of("backdoor_success", backdoor().success(recipe.sample(global, labels, seed),
                BACKDOOR_TOLERANCE));
    }

    /** The shards with the data-poisoning attackers' shards replaced; the same list for other attacks. */
    public List<Dataset> poisonedShards(List<Dataset> shards, long seed, boolean conditional) {
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
}
