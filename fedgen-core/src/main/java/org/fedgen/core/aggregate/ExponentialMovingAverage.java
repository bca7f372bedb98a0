package org.fedgen.core.aggregate;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decorator that leaves its inner aggregator's result unchanged and keeps, on the server, an exponential moving
 * average of the global states it produces: ema ← decay·ema + (1 − decay)·new, initialised to the first result (a part
 * first seen later is initialised the same way). Diffusion models sample from the average, which is smoother than the
 * last round's weights. The average is part of {@link #state()} so checkpoints keep it. Streams when the inner
 * aggregator does.
 */
public final class ExponentialMovingAverage implements StreamingAggregator {

    private final Aggregator inner;
    private final double decay;
    private final AveragedParts kept = new AveragedParts("ema/", "EMA");

    /**
     * @param inner the aggregator whose results are averaged
     * @param decay weight of the old average, in [0, 1) (e.g. 0.9 over rounds)
     */
    public ExponentialMovingAverage(Aggregator inner, double decay) {
        this.inner = Objects.requireNonNull(inner, "inner");
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
    }

    /** The decay d of the average. */
    public double decay() {
        return decay;
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        return inner.configureFit(instructions, global);
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        return track(inner.aggregate(global, updates, context), context);
    }

    @Override
    public Fold begin(ModelState global, RoundContext context) {
        return StreamingAggregator.of(inner).begin(global, context).andThen(result -> track(result, context));
    }

    @Override
    public boolean streams() {
        return StreamingAggregator.of(inner).streams();
    }

    private ModelState track(ModelState result, RoundContext context) {
        for (Map.Entry<String, INDArray> e : result.parts().entrySet()) {
            INDArray avg = kept.parts.get(e.getKey());
            if (avg == null || avg.length() != e.getValue().length()) {
                kept.parts.put(e.getKey(), e.getValue().dup());
            } else {
                avg.muli(decay).addi(e.getValue().mul(1.0 - decay));
            }
        }
        kept.round = context.round();
        return result;
    }

    /**
     * A copy of the moving average, stamped with the round of the last aggregation.
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
     * The average under {@code ema/<part>}, its round under {@code round} (a float32 scalar, so the state can be written
     * by {@code CheckpointFile}), the inner state under {@code inner/}.
     */
    @Override
    public Map<String, INDArray> state() {
        return kept.state(inner);
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        kept.restore(state, inner);
    }
}
