package org.fedgen.core.aggregate;

import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decorator that leaves its inner aggregator's result unchanged and keeps, on the server, the average of the last
 * two iterates, (w_t + w_{t+1}) / 2, of the state a round started from and the one it produced. FedExP's extrapolated
 * iterates oscillate around the path plain averaging would take, and its authors evaluate this average (it is
 * post-processing: training continues from w_{t+1}). The average is part of {@link #state()} so checkpoints keep it.
 * Streams when the inner aggregator does.
 */
public final class IterateAverage implements StreamingAggregator, AggregatorDecorator {

    private final Aggregator inner;
    private final AveragedParts kept = new AveragedParts("average/", "iterate-average");

    /** Averages the last two iterates of {@code inner}. */
    public IterateAverage(Aggregator inner) {
        if (inner == null) {
            throw new IllegalArgumentException("inner aggregator must not be null");
        }
        this.inner = inner;
    }

    @Override
    public Aggregator inner() {
        return inner;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        return track(global, inner.aggregate(global, updates, context), context);
    }

    @Override
    public Fold begin(ModelState global, RoundContext context) {
        return StreamingAggregator.of(inner).begin(global, context).andThen(result -> track(global, result, context));
    }

    @Override
    public boolean streams() {
        return StreamingAggregator.of(inner).streams();
    }

    private ModelState track(ModelState global, ModelState result, RoundContext context) {
        kept.parts.clear();
        for (Map.Entry<String, INDArray> e : result.parts().entrySet()) {
            kept.parts.put(e.getKey(), e.getValue().add(global.part(e.getKey())).muli(0.5));
        }
        kept.round = context.round();
        return result;
    }

    /**
     * A copy of (w_t + w_{t+1}) / 2 of the last aggregation, stamped with its round.
     *
     * @throws IllegalStateException before the first aggregation
     */
    public ModelState average() {
        return kept.copy();
    }

    /** Whether an average exists (after the first aggregation or a restore that held one). */
    public boolean hasAverage() {
        return !kept.isEmpty();
    }

    /**
     * The average under {@code average/<part>}, its round under {@code round} (a float32 scalar, as every checkpointed
     * array), the inner state under {@code inner/}.
     */
    @Override
    public Map<String, INDArray> state() {
        return kept.state(inner);
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        kept.restore(state, inner);
    }

    @Override
    public String toString() {
        return "IterateAverage(" + inner + ")";
    }
}
