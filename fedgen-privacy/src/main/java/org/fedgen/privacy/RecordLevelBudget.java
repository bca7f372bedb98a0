package org.fedgen.privacy;

import java.util.Objects;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a record-level private run before the round that could take the maximum client ε above a target (every
 * client is assumed to train in it), so the run ends with every client's record-level ε ≤ target.
 */
public final class RecordLevelBudget implements RoundListener {
    private static final Logger LOG = LoggerFactory.getLogger(RecordLevelBudget.class);

    private final RecordLevelLedger ledger;
    private final double targetEpsilon;

    /** @throws IllegalArgumentException for a target that is not finite and &gt; 0 */
    public RecordLevelBudget(RecordLevelLedger ledger, double targetEpsilon) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("target epsilon must be finite and > 0, got " + targetEpsilon);
        }
        this.targetEpsilon = targetEpsilon;
    }

    @Override
    public boolean beforeRound(long round) {
        if (ledger.maxEpsilonAfterOneMoreRound() <= targetEpsilon) {
            return true;
        }
        LOG.warn("record-level privacy budget reached: stopping before round {}, which could take the maximum"
                + " client epsilon above the target {} ({})", round, targetEpsilon, ledger.describe());
        return false;
    }

    @Override
    public void onRoundEnd(RoundResult result) {
    }
}
