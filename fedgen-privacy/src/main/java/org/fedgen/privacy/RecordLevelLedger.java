package org.fedgen.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.fedgen.core.io.ExactState;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.fedgen.privacy.RdpAccountant.PrivacySpent;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Record-level privacy spent by each client of a run whose clients train with DP-SGD: one {@link RdpAccountant} per
 * client, charged with {@code steps} Poisson-subsampled Gaussian mechanisms (q_k, σ) for every round the client
 * trains in (its sampling rate q_k = B / n_k and step count come from its own plan). Clients hold disjoint records,
 * so a record's guarantee is its own client's ε (parallel composition) and the run's record-level guarantee is the
 * maximum over clients. Not thread-safe; the server charges it from the round loop.
 */
public final class RecordLevelLedger {
    /** The metric of the maximum over clients, when it is a guarantee. */
    public static final String MAX_EPSILON = "record_epsilon_max";
    /** The metric of the maximum when an assumption of the accountant does not hold. */
    public static final String MAX_EPSILON_UNPROVEN = "record_epsilon_max_not_a_guarantee";

    private static final String CLIENT = "client/";
    private static final String RDP = "/rdp";
    private static final String STEPS = "/steps";

    private final Map<Integer, ClientPlan> plans;
    private final Map<Integer, RdpAccountant> accountants = new TreeMap<>();
    private final double noiseMultiplier;
    private final double delta;
    private final Conversion conversion;
    private final Set<String> caveats = new LinkedHashSet<>();

    /**
     * A client's DP-SGD plan per round.
     *
     * @param q     Poisson rate of a record per step, B / n_k
     * @param steps DP-SGD steps per round
     */
    public record ClientPlan(double q, long steps) {
        /** Checks q in (0, 1] and steps ≥ 1. */
        public ClientPlan {
            if (!(q > 0 && q <= 1)) {
                throw new IllegalArgumentException("record sampling rate q must be in (0, 1], got " + q);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("DP-SGD steps per round must be >= 1, got " + steps);
            }
        }
    }

    /**
     * @param plans           every client's plan, by client id
     * @param noiseMultiplier σ of DP-SGD
     * @param delta           δ of the reported (ε, δ)
     * @throws IllegalArgumentException for no clients, σ ≤ 0 or δ outside (0, 1)
     */
    public RecordLevelLedger(Map<Integer, ClientPlan> plans, double noiseMultiplier, double delta,
            Conversion conversion) {
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("record-level accounting needs at least one client");
        }
        if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("DP-SGD noise multiplier must be finite and > 0, got "
                    + noiseMultiplier);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        this.plans = new TreeMap<>(plans);
        this.noiseMultiplier = noiseMultiplier;
        this.delta = delta;
        this.conversion = Objects.requireNonNull(conversion, "conversion");
        for (int id : this.plans.keySet()) {
            accountants.put(id, new RdpAccountant());
        }
    }

    /** Records an assumption of the accountant that does not hold (seeded or fixed-size batches). */
    public void caveat(String assumptionNotMet) {
        caveats.add(Objects.requireNonNull(assumptionNotMet));
    }

    /** Whether the reported ε is a guarantee. */
    public boolean isGuarantee() {
        return caveats.isEmpty();
    }

    /** The assumptions that do not hold. */
    public Set<String> caveats() {
        return Set.copyOf(caveats);
    }

    /** Charges one round for each of {@code clients} (ids without a plan are refused). */
    public void charge(List<Integer> clients) {
        for (int id : clients) {
            ClientPlan p = plan(id);
            accountants.get(id).steps(p.q(), noiseMultiplier, p.steps());
        }
    }

    /** Client {@code id}'s record-level ε so far. */
    public PrivacySpent spent(int id) {
        plan(id);
        RdpAccountant a = accountants.get(id);
        return RdpAccountant.epsilon(a.orders(), a.totalRdp(), delta, conversion);
    }

    /** The maximum ε over clients so far. */
    public double maxEpsilon() {
        double max = 0;
        for (int id : plans.keySet()) {
            max = Math.max(max, spent(id).epsilon());
        }
        return max;
    }

    /** The maximum ε over clients if every client trained one more round. */
    public double maxEpsilonAfterOneMoreRound() {
        double max = 0;
        for (Map.Entry<Integer, ClientPlan> e : plans.entrySet()) {
            RdpAccountant a = accountants.get(e.getKey());
            double[] rdp = a.totalRdp().clone();
            double[] step = SampledGaussianRdp.rdp(e.getValue().q(), noiseMultiplier, a.orders());
            for (int i = 0; i < rdp.length; i++) {
                rdp[i] += e.getValue().steps() * step[i];
            }
            max = Math.max(max, RdpAccountant.epsilon(a.orders(), rdp, delta, conversion).epsilon());
        }
        return max;
    }

    /**
     * The publishable metrics: the maximum under {@value #MAX_EPSILON} (or {@value #MAX_EPSILON_UNPROVEN}), each
     * client's ε as {@code record_epsilon_<id>} (suffixed {@code _not_a_guarantee} likewise), {@code record_delta}
     * and {@code record_sigma}.
     */
    public Map<String, Double> metrics() {
        String suffix = isGuarantee() ? "" : "_not_a_guarantee";
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(isGuarantee() ? MAX_EPSILON : MAX_EPSILON_UNPROVEN, maxEpsilon());
        for (int id : plans.keySet()) {
            m.put("record_epsilon_" + id + suffix, spent(id).epsilon());
        }
        m.put("record_delta", delta);
        m.put("record_sigma", noiseMultiplier);
        return m;
    }

    /** One line for the console: the maximum and its unit, with the caveats if any. */
    public String describe() {
        return String.format("record-level epsilon (max over %d clients) = %.6g at delta = %g", plans.size(),
                maxEpsilon(), delta) + (isGuarantee() ? "" : " (NOT A GUARANTEE: " + String.join("; ", caveats)
                + ")");
    }

    /** δ of the reported guarantee. */
    public double delta() {
        return delta;
    }

    /** The client ids with a plan. */
    public List<Integer> clients() {
        return new ArrayList<>(plans.keySet());
    }

    /**
     * Every client's accumulated RDP and step count for a checkpoint, bit-exact ({@link ExactState}), under {@code
     * client/<id>/rdp} and {@code client/<id>/steps}: a resumed run reports the same ε's as one that never stopped.
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        accountants.forEach((id, a) -> {
            s.put(CLIENT + id + RDP, ExactState.ofDoubles(a.totalRdp()));
            s.put(CLIENT + id + STEPS, ExactState.ofLongs(a.rounds()));
        });
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if the state is not exactly one RDP vector and step count per client of this
     *                                  ledger, or a vector does not fit the order grid
     */
    public void restoreState(Map<String, INDArray> state) {
        Set<String> expected = new LinkedHashSet<>();
        for (int id : accountants.keySet()) {
            expected.add(CLIENT + id + RDP);
            expected.add(CLIENT + id + STEPS);
        }
        if (!expected.equals(state.keySet())) {
            throw new IllegalArgumentException("record-level ledger state must hold " + expected + ", has "
                    + state.keySet());
        }
        for (Map.Entry<Integer, RdpAccountant> e : accountants.entrySet()) {
            String rdp = CLIENT + e.getKey() + RDP;
            String steps = CLIENT + e.getKey() + STEPS;
            e.getValue().restore(ExactState.toDoubles(rdp, state.get(rdp)), ExactState.toLong(steps,
                    state.get(steps)));
        }
    }

    private ClientPlan plan(int id) {
        ClientPlan p = plans.get(id);
        if (p == null) {
            throw new IllegalArgumentException("client " + id + " has no DP-SGD plan; known clients "
                    + plans.keySet());
        }
        return p;
    }
}
