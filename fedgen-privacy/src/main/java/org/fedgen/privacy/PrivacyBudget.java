package org.fedgen.privacy;

import java.util.Objects;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a run before the round that would take ε above a target: before each round it asks the ledger whether one
 * more round with the planned (q, z) keeps ε ≤ target, and refuses the round otherwise. A run with this listener
 * therefore ends with ε ≤ target, after exactly {@link PrivacyLedger#roundsWithin} rounds when it starts fresh.
 *
 * <p>Register it with the server (it is a {@link RoundListener}); the ledger is charged by the {@link DpFedAvg} that
 * owns it.
 */
public final class PrivacyBudget implements RoundListener {
    private static final Logger LOG = LoggerFactory.getLogger(PrivacyBudget.class);

    private final PrivacyLedger ledger;
    private final double targetEpsilon;
    private final double q;
    private final double z;
    private boolean exhausted;

    /**
     * @param ledger        the run's ledger
     * @param targetEpsilon the budget ε ≥ 0
     * @param q             the sampling rate of the coming rounds
     * @param z             the noise multiplier of the coming rounds
     * @throws IllegalArgumentException for a negative or NaN target, q outside [0, 1] or a negative z
     */
    public PrivacyBudget(PrivacyLedger ledger, double targetEpsilon, double q, double z) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        if (!(targetEpsilon >= 0)) {
            throw new IllegalArgumentException("target epsilon must be >= 0, got " + targetEpsilon);
        }
        SampledGaussianRdp.checkArguments(q, z);
        this.targetEpsilon = targetEpsilon;
        this.q = q;
        this.z = z;
    }

    @Override
    public boolean beforeRound(long round) {
        if (ledger.roundsWithin(targetEpsilon, q, z) >= 1) {
            return true;
        }
        exhausted = true;
        LOG.warn("privacy budget reached: stopping before round {}, which would take epsilon above the target {}"
                + " (spent after {} rounds: {})", round, targetEpsilon, ledger.rounds(), ledger.describeSpent());
        return false;
    }

    @Override
    public void onRoundEnd(RoundResult result) {
    }

    /** Whether this listener has stopped the run. */
    public boolean exhausted() {
        return exhausted;
    }

    /** The ε the run must not exceed. */
    public double targetEpsilon() {
        return targetEpsilon;
    }
}
