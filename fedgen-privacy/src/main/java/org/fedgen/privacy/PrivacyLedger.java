package org.fedgen.privacy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.RoundContext;
import org.fedgen.privacy.RdpAccountant.Conversion;
import org.fedgen.privacy.RdpAccountant.PrivacySpent;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The privacy spent by one run: an {@link RdpAccountant} charged once per round with the (q, z) the round actually used,
 * reported as ε at a fixed δ. A {@link DpFedAvg} given a ledger charges it from its
 * {@link DpFedAvg#aggregate aggregate} call and writes {@code epsilon}, {@code dp_order} and {@code dp_delta} to the
 * round's metrics; its {@link DpFedAvg#state()} carries the ledger so that a checkpoint resumes the accounting.
 * {@link PrivacyBudget} reads the ledger to stop a run before the round that would exceed a target ε.
 *
 * <p>One ledger belongs to one DP aggregator: charging the same round twice is refused, because two noisy releases per
 * round would need their own accounting.
 */
public final class PrivacyLedger {
    private static final String RDP_HI = "rdp_hi";
    private static final String RDP_LO = "rdp_lo";
    private static final String ROUNDS = "rdp_rounds";
    private static final String LAST_ROUND = "rdp_last_round";

    private final RdpAccountant accountant;
    private final double delta;
    private final Conversion conversion;
    private long lastRound;

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
        if (round <= lastRound) {
            throw new IllegalStateException("round " + round + " was already charged (last charged round "
                    + lastRound + "); one ledger serves one DP aggregator, charged once per round");
        }
        accountant.step(q, z);
        lastRound = round;
        return spent();
    }

    /** Charges the round of {@code context} with q = qW/W and writes {@code epsilon}, {@code dp_order}, {@code dp_delta}. */
    public PrivacySpent charge(RoundContext context, double z) {
        if (context.populationSize() <= 0) {
            throw new IllegalArgumentException("population must be > 0 to compute q, got "
                    + context.populationSize());
        }
        double q = context.expectedClientsPerRound() / context.populationSize();
        PrivacySpent s = charge(context.round(), q, z);
        context.metric("epsilon", s.epsilon());
        context.metric("dp_order", s.order());
        context.metric("dp_delta", delta);
        context.metric("dp_q", q);
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
     * The accumulated RDP for a checkpoint. Checkpoints hold float32, so each double is split into a float and the
     * float of its remainder, which keeps about 48 bits: the restored ε matches to ~1e-14 relative.
     */
    public Map<String, INDArray> state() {
        double[] rdp = accountant.totalRdp();
        float[] hi = new float[rdp.length];
        float[] lo = new float[rdp.length];
        for (int i = 0; i < rdp.length; i++) {
            hi[i] = (float) rdp[i];
            lo[i] = Double.isFinite(rdp[i]) ? (float) (rdp[i] - hi[i]) : 0f;
        }
        Map<String, INDArray> s = new LinkedHashMap<>();
        s.put(RDP_HI, Nd4j.createFromArray(hi));
        s.put(RDP_LO, Nd4j.createFromArray(lo));
        // Round counts are exact in float32 below 2^24.
        s.put(ROUNDS, Nd4j.scalar(DataType.FLOAT, (float) accountant.rounds()));
        s.put(LAST_ROUND, Nd4j.scalar(DataType.FLOAT, (float) lastRound));
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if an entry is missing or does not fit the order grid
     */
    public void restoreState(Map<String, INDArray> state) {
        for (String k : new String[] {RDP_HI, RDP_LO, ROUNDS, LAST_ROUND}) {
            if (!state.containsKey(k)) {
                throw new IllegalArgumentException("privacy ledger state lacks '" + k + "', has " + state.keySet());
            }
        }
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
    }

    /** The keys of {@link #state()}. */
    static boolean isLedgerKey(String key) {
        return key.equals(RDP_HI) || key.equals(RDP_LO) || key.equals(ROUNDS) || key.equals(LAST_ROUND);
    }
}
