package org.fedgen.privacy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.aggregate.AggregatorDecorator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Charges a {@link RecordLevelLedger} once per round for every client sampled in it (rejected updates included:
 * their records were trained on), then aggregates with the wrapped rule and publishes the ledger's metrics as safe.
 * Any aggregation of record-level DP updates is post-processing, so the wrapped rule is unconstrained here; what the
 * clients report besides their updates must still be kept private by the run.
 */
public final class RecordLevelAccounting implements Aggregator, AggregatorDecorator {
    private final Aggregator inner;
    private final RecordLevelLedger ledger;
    private long chargedRound = -1;

    /** Wraps {@code inner}, charging {@code ledger} every round. */
    public RecordLevelAccounting(Aggregator inner, RecordLevelLedger ledger) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    @Override
    public Aggregator inner() {
        return inner;
    }

    /** The ledger this rule charges. */
    public RecordLevelLedger ledger() {
        return ledger;
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        return inner.configureFit(instructions, global);
    }

    @Override
    public FitInstructions configureRound(FitInstructions instructions, ModelState global, List<Integer> sampled) {
        return inner.configureRound(instructions, global, sampled);
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        // a policy may route several parts here; the round's records were used once
        if (context.round() != chargedRound) {
            ledger.charge(context.sampledClients());
            chargedRound = context.round();
        }
        ModelState out = inner.aggregate(global, updates, context);
        ledger.metrics().forEach(context::safeMetric);
        return out;
    }

    @Override
    public Map<String, INDArray> state() {
        return inner.state();
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        inner.restoreState(state);
    }

    @Override
    public String toString() {
        return "RecordLevelAccounting(" + inner + ")";
    }
}
