package org.fedgen.core.aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A decorator that leaves its inner aggregator's result unchanged and keeps, on the server, the average of the last
 * two iterates, (w_t + w_{t+1}) / 2, of the state a round started from and the one it produced. FedExP's extrapolated
 * iterates oscillate around the path plain averaging would take, and its authors evaluate this average (it is
 * post-processing: training continues from w_{t+1}). The average is part of {@link #state()} so checkpoints keep it.
 * Streams when the inner aggregator does.
 */
public final class IterateAverage implements StreamingAggregator, AggregatorDecorator {
    private static final String AVERAGE_PREFIX = "average/";
    private static final String INNER_PREFIX = "inner/";
    private static final String ROUND_KEY = "round";

    private final Aggregator inner;
    private final Map<String, INDArray> average = new LinkedHashMap<>();
    private long round;

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
        average.clear();
        for (Map.Entry<String, INDArray> e : result.parts().entrySet()) {
            average.put(e.getKey(), e.getValue().add(global.part(e.getKey())).muli(0.5));
        }
        round = context.round();
        return result;
    }

    /**
     * A copy of (w_t + w_{t+1}) / 2 of the last aggregation, stamped with its round.
     *
     * @throws IllegalStateException before the first aggregation
     */
    public ModelState average() {
        if (average.isEmpty()) {
            throw new IllegalStateException("no average yet: aggregate() has not been called");
        }
        Map<String, INDArray> copy = new LinkedHashMap<>();
        average.forEach((k, v) -> copy.put(k, v.dup()));
        return ModelState.of(round, copy);
    }

    /** Whether an average exists (after the first aggregation or a restore that held one). */
    public boolean hasAverage() {
        return !average.isEmpty();
    }

    /**
     * The average under {@code average/<part>}, its round under {@code round} (a float32 scalar, as every checkpointed
     * array), the inner state under {@code inner/}.
     */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        average.forEach((k, v) -> s.put(AVERAGE_PREFIX + k, v.dup()));
        if (!average.isEmpty()) {
            s.put(ROUND_KEY, Nd4j.scalar(DataType.FLOAT, (float) round));
        }
        inner.state().forEach((k, v) -> s.put(INNER_PREFIX + k, v));
        return s;
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        Map<String, INDArray> restored = new LinkedHashMap<>();
        Map<String, INDArray> innerState = new LinkedHashMap<>();
        long restoredRound = 0;
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(AVERAGE_PREFIX)) {
                restored.put(k.substring(AVERAGE_PREFIX.length()), e.getValue().dup());
            } else if (k.startsWith(INNER_PREFIX)) {
                innerState.put(k.substring(INNER_PREFIX.length()), e.getValue());
            } else if (ROUND_KEY.equals(k)) {
                restoredRound = Math.round(e.getValue().getDouble(0));
            } else {
                throw new IllegalArgumentException("unknown iterate-average state entry '" + k + "'; expected "
                        + AVERAGE_PREFIX + "*, " + INNER_PREFIX + "* or " + ROUND_KEY);
            }
        }
        inner.restoreState(innerState);
        average.clear();
        average.putAll(restored);
        round = restoredRound;
    }

    @Override
    public String toString() {
        return "IterateAverage(" + inner + ")";
    }
}
