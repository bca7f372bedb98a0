package org.fedgen.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import org.fedgen.core.RoundContext;
import org.fedgen.core.io.ExactState;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.fedgen.privacy.RdpAccountant.PrivacySpent;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The privacy spent by one run: an {@link RdpAccountant} charged once per round with the (q, z) the round actually used,
 * reported as ε at a fixed δ. A {@link DpFedAvg} given a ledger charges it from its
 * {@link DpFedAvg#aggregate aggregate} call and writes {@code epsilon}, {@code dp_order} and {@code dp_delta} to the
 * round's metrics; its {@link DpFedAvg#state()} carries the ledger so that a checkpoint resumes the accounting.
 * {@link PrivacyBudget} reads the ledger to stop a run before the round that would exceed a target ε.
 *
 * <p>One ledger per run composes every DP mechanism in it. Mechanisms charged in the same round (two DP-FedAvg rules
 * on different parts of one model, say) release Gaussian sums over the same Poisson sample, so together they are one
 * subsampled Gaussian mechanism whose noise multiplier z satisfies z⁻² = Σ_i z_i⁻² (the joint sensitivity of the
 * stacked, noise-normalised releases): the round is charged once, at that z, exactly.
 *
 * <p>A run whose setup breaks an assumption of the analysis (seeded noise or sampling, fixed-size sampling accounted as
 * Poisson) records a {@link #caveat}; its ε is then reported as {@value #UNPROVEN_EPSILON}, never as {@code epsilon}.
 */
public final class PrivacyLedger {
    private static final String RDP = "rdp";
    private static final String RDP_HI = "rdp_hi";
    private static final String RDP_LO = "rdp_lo";
    private static final String ROUNDS = "rdp_rounds";
    private static final String LAST_ROUND = "rdp_last_round";

    private final RdpAccountant accountant;
    private final double delta;
    /** The metric name of an ε that is not a guarantee. */
    public static final String UNPROVEN_EPSILON = "epsilon_not_a_guarantee";

    private final Conversion conversion;
    private final Set<String> caveats = new LinkedHashSet<>();
    private String metricPrefix = "";
    private long lastRound;
    // The charges of the round being composed: the accounting before it and Σ z_i⁻² over its mechanisms.
    private double[] beforeRound;
    private long roundsBeforeRound;
    private double roundQ = Double.NaN;
    private final List<Double> roundZ = new ArrayList<>();

    /**
     * @param accountant the accountant (give it the population W to get a warning when δ ≥ 1/W)
     * @param delta      δ in (0, 1)
     * @param conversion how RDP converts to (ε, δ)
     * @throws IllegalArgumentException for δ outside (0, 1); logs a warning (through the accountant) if δ ≥ 1/W
     */
    public PrivacyLedger(RdpAccountant accountant, double delta, Conversion conversion) {
        this.accountant = Objects.requireNonNull(accountant, "accountant");
        this.conversion = Objects.requireNonNull(conversion, "conversion");
        this.delta = delta;
        // Validates δ and warns once, now rather than after the first round, if δ ≥ 1/population.
        accountant.epsilon(delta, conversion);
    }

    /** A ledger on the default order grid with the tight conversion, warning if δ ≥ 1/{@code population}. */
    public static PrivacyLedger forPopulation(int population, double delta) {
        return new PrivacyLedger(new RdpAccountant(RdpAccountant.defaultOrders(), population), delta,
                Conversion.TIGHT);
    }

    /**
     * Charges one round of the Poisson-subsampled Gaussian mechanism (q, z).
     *
     * @param round the round being charged; must be later than the last charged one
     * @return the privacy spent after this round
     * @throws IllegalStateException    if this round (or a later one) was charged already
     * @throws IllegalArgumentException for q outside [0, 1] or a negative z
     */
    public PrivacySpent charge(long round, double q, double z) {
        if (round == lastRound && beforeRound != null) {
            if (q != roundQ) {
                throw new IllegalArgumentException("round " + round + " was charged with q = " + roundQ
                        + " and now with q = " + q + "; mechanisms of one round must share its sample");
            }
            SampledGaussianRdp.checkArguments(q, z);
            roundZ.add(z);
            accountant.restore(beforeRound, roundsBeforeRound);
            accountant.step(q, composedNoiseMultiplier(roundZ));
            return spent();
        }
        if (round <= lastRound) {
            throw new IllegalStateException("round " + round + " was already charged (last charged round "
                    + lastRound + ")");
        }
        SampledGaussianRdp.checkArguments(q, z);
        beforeRound = accountant.totalRdp();
        roundsBeforeRound = accountant.rounds();
        roundQ = q;
        roundZ.clear();
        roundZ.add(z);
        accountant.step(q, z);
        lastRound = round;
        return spent();
    }

    /**
     * (Σ_i z_i⁻²)^(−1/2): the noise multiplier of Gaussian releases with multipliers z_i over the same sample taken
     * together (0 if any z_i is 0).
     */
    public static double composedNoiseMultiplier(List<Double> zs) {
        double inv = 0;
        for (double z : zs) {
            if (z == 0) {
                return 0;
            }
            inv += 1 / (z * z);
        }
        return 1 / Math.sqrt(inv);
    }

    /**
     * Records that ε is computed under an assumption the run does not meet (e.g. "noise seeded from the run seed"):
     * ε is then published as {@value #UNPROVEN_EPSILON}.
     */
    public void caveat(String assumptionNotMet) {
        caveats.add(Objects.requireNonNull(assumptionNotMet, "caveat"));
    }

    /** The assumptions the run does not meet; empty when ε is a guarantee. */
    public Set<String> caveats() {
        return Set.copyOf(caveats);
    }

    /** Whether ε is a proven bound for this run (no {@link #caveat}). */
    public boolean isGuarantee() {
        return caveats.isEmpty();
    }

    /**
     * Prefixes every metric this ledger publishes, e.g. {@code client_} in a run that also publishes record-level ε,
     * so that each guarantee is named with its unit ({@code client_epsilon}, {@code client_dp_order}, ...).
     */
    public void metricPrefix(String prefix) {
        metricPrefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * The metric name ε is published under: {@code epsilon}, or {@value #UNPROVEN_EPSILON} with a caveat, after the
     * {@link #metricPrefix}.
     */
    public String epsilonMetricName() {
        return metricPrefix + (isGuarantee() ? "epsilon" : UNPROVEN_EPSILON);
    }

    /** ε spent so far as text: the number, followed by "(not a guarantee: ...)" when there are caveats. */
    public String describeSpent() {
        PrivacySpent s = spent();
        return String.format("epsilon = %.6g at delta = %g", s.epsilon(), delta)
                + (isGuarantee() ? "" : " (NOT A GUARANTEE: " + String.join("; ", caveats) + ")");
    }

    /**
     * Charges the round of {@code context} with q = qW/W and writes ε (under {@link #epsilonMetricName()}),
     * {@code dp_order}, {@code dp_delta} and {@code dp_q} (after the {@link #metricPrefix}), marked safe to publish.
     */
    public PrivacySpent charge(RoundContext context, double z) {
        if (context.populationSize() <= 0) {
            throw new IllegalArgumentException("population must be > 0 to compute q, got "
                    + context.populationSize());
        }
        double q = context.expectedClientsPerRound() / context.populationSize();
        PrivacySpent s = charge(context.round(), q, z);
        context.safeMetric(epsilonMetricName(), s.epsilon());
        context.safeMetric(metricPrefix + "dp_order", s.order());
        context.safeMetric(metricPrefix + "dp_delta", delta);
        context.safeMetric(metricPrefix + "dp_q", q);
        return s;
    }

    /** ε (and its order) spent so far. */
    public PrivacySpent spent() {
        return accountant.epsilon(delta, conversion);
    }

    /** How many further rounds with (q, z) keep ε ≤ {@code targetEpsilon} (see {@link RdpAccountant#roundsWithin}). */
    public long roundsWithin(double targetEpsilon, double q, double z) {
        return accountant.roundsWithin(targetEpsilon, delta, q, z, conversion);
    }

    /** The δ at which ε is reported. */
    public double delta() {
        return delta;
    }

    /** How RDP is converted to (ε, δ). */
    public Conversion conversion() {
        return conversion;
    }

    /** Rounds charged so far. */
    public long rounds() {
        return accountant.rounds();
    }

    /** The underlying accountant. */
    public RdpAccountant accountant() {
        return accountant;
    }

    /**
     * The accumulated RDP, the rounds charged and the last charged round for a checkpoint, bit-exact
     * ({@link ExactState}): a resumed run reports the same ε as one that never stopped.
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        s.put(RDP, ExactState.ofDoubles(accountant.totalRdp()));
        s.put(ROUNDS, ExactState.ofLongs(accountant.rounds()));
        s.put(LAST_ROUND, ExactState.ofLongs(lastRound));
        return s;
    }

    /**
     * Restores what {@link #state()} returned. The float pairs of checkpoints written before the exact encoding
     * ({@code rdp_hi}, {@code rdp_lo} and float round counts) are still read, to about 48 bits.
     *
     * @throws IllegalArgumentException if an entry is missing or does not fit the order grid
     */
    public void restoreState(Map<String, INDArray> state) {
        boolean old = state.containsKey(RDP_HI);
        for (String k : old ? new String[] {RDP_HI, RDP_LO, ROUNDS, LAST_ROUND} : new String[] {RDP, ROUNDS,
                LAST_ROUND}) {
            if (!state.containsKey(k)) {
                throw new IllegalArgumentException("privacy ledger state lacks '" + k + "', has " + state.keySet());
            }
        }
        if (old) {
            float[] hi = state.get(RDP_HI).toFloatVector();
            float[] lo = state.get(RDP_LO).toFloatVector();
            if (hi.length != lo.length) {
                throw new IllegalArgumentException("ledger state: " + hi.length + " RDP values but " + lo.length
                        + " remainders");
            }
            double[] rdp = new double[hi.length];
            for (int i = 0; i < rdp.length; i++) {
                rdp[i] = (double) hi[i] + lo[i];
            }
            accountant.restore(rdp, (long) state.get(ROUNDS).getDouble(0));
            lastRound = (long) state.get(LAST_ROUND).getDouble(0);
        } else {
            accountant.restore(ExactState.toDoubles(RDP, state.get(RDP)), ExactState.toLong(ROUNDS,
                    state.get(ROUNDS)));
            lastRound = ExactState.toLong(LAST_ROUND, state.get(LAST_ROUND));
        }
        beforeRound = null;
    }
}
