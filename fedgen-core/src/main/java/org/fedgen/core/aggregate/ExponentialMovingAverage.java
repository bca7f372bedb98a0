package org.fedgen.core.aggregate;

import java.util.LinkedHashMap;
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
    private static final String EMA_PREFIX = "ema/";
    private static final String INNER_PREFIX = "inner/";
    private static final String ROUND_KEY = "round";

    private final Aggregator inner;
    private final double decay;
    private final Map<String, INDArray> ema = new LinkedHashMap<>();
    private long round;

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
            INDArray avg = ema.get(e.getKey());
            if (avg == null || avg.length() != e.getValue().length()) {
                ema.put(e.getKey(), e.getValue().dup());
            } else {
                avg.muli(decay).addi(e.getValue().mul(1.0 - decay));
            }
        }
        round = context.round();
        return result;
    }

    /**
     * A copy of the moving average, stamped with the round of the last aggregation.
     *
     * @throws IllegalStateException before the first aggregation
     */
    public ModelState average() {
        if (ema.isEmpty()) {
            throw new IllegalStateException("no average yet: aggregate() has not been called");
        }
        Map<String, INDArray> copy = new LinkedHashMap<>();
        ema.forEach((k, v) -> copy.put(k, v.dup()));
        return ModelState.of(round, copy);
    }

    /** Whether an average exists (after the first aggregation or a restore that held one). */
    public boolean hasAverage() {
        return !ema.isEmpty();
    }

    /**
     * The average under {@code ema/<part>}, its round under {@code round} (a float32 scalar, so the state can be written
     * by {@code CheckpointFile}), the inner state under {@code inner/}.
     */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        ema.forEach((k, v) -> s.put(EMA_PREFIX + k, v.dup()));
        if (!ema.isEmpty()) {
            // float32 like every checkpointed array (exact for rounds below 2^24)
            s.put(ROUND_KEY, org.nd4j.linalg.factory.Nd4j.scalar(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                    (float) round));
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
            if (k.startsWith(EMA_PREFIX)) {
                restored.put(k.substring(EMA_PREFIX.length()), e.getValue().dup());
            } else if (k.startsWith(INNER_PREFIX)) {
                innerState.put(k.substring(INNER_PREFIX.length()), e.getValue());
            } else if (ROUND_KEY.equals(k)) {
                restoredRound = Math.round(e.getValue().getDouble(0));
            } else {
                throw new IllegalArgumentException("unknown EMA state entry '" + k + "'; expected " + EMA_PREFIX
                        + "*, " + INNER_PREFIX + "* or " + ROUND_KEY);
            }
        }
        inner.restoreState(innerState);
        ema.clear();
        ema.putAll(restored);
        round = restoredRound;
    }
}
