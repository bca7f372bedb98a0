package org.fedgen.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
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
    private static final String INNER = "inner/";
    private static final String LEDGER = "record_ledger/";

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

    /** The wrapped rule's state under {@code inner/} and the ledger's under {@code record_ledger/}. */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        inner.state().forEach((k, v) -> s.put(INNER + k, v));
        ledger.state().forEach((k, v) -> s.put(LEDGER + k, v));
        return s;
    }

    /**
     * Restores what {@link #state()} returned: the ledger continues from the very RDP bits it stopped at.
     *
     * @throws IllegalArgumentException for an entry of neither part, or a ledger state that does not fit the ledger
     */
    @Override
    public void restoreState(Map<String, INDArray> state) {
        Map<String, INDArray> innerState = new LinkedHashMap<>();
        Map<String, INDArray> ledgerState = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            if (e.getKey().startsWith(INNER)) {
                innerState.put(e.getKey().substring(INNER.length()), e.getValue());
            } else if (e.getKey().startsWith(LEDGER)) {
                ledgerState.put(e.getKey().substring(LEDGER.length()), e.getValue());
            } else {
                throw new IllegalArgumentException("record-level accounting cannot restore state entry '"
                        + e.getKey() + "'");
            }
        }
        inner.restoreState(innerState);
        ledger.restoreState(ledgerState);
        chargedRound = -1;
    }

    @Override
    public String toString() {
        return "RecordLevelAccounting(" + inner + ")";
    }
}
