package org.fedgen.core.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.fedgen.core.util.Vectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures client drift and leaves the aggregation to the wrapped rule: with sample weights p_k = n_k/n and the
 * clients' deltas Δ_k over all parts, it records {@code drift} = 1 − ‖Σ_k p_k Δ_k‖² / Σ_k p_k ‖Δ_k‖², the share of
 * the clients' mean squared step that cancels out in the average (0 when every client moves the same way, near 1
 * when their steps point in unrelated directions). A round with no examples records nothing.
 *
 * <p>The metric is computed from individual updates, so it is not for DP runs (it is not a safe metric and a private
 * run's outputs drop it). Streams when the inner rule does, holding one extra running sum per part.
 */
public final class DriftMeter implements StreamingAggregator, AggregatorDecorator {
    /** The metric's name in the round's record. */
    public static final String METRIC = "drift";

    private final Aggregator inner;

    /** Measures drift around {@code inner}. */
    public DriftMeter(Aggregator inner) {
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
        Meter meter = new Meter(global);
        updates.forEach(meter::add);
        meter.record(context);
        return inner.aggregate(global, updates, context);
    }

    @Override
    public Fold begin(ModelState global, RoundContext context) {
        Meter meter = new Meter(global);
        Fold fold = StreamingAggregator.of(inner).begin(global, context);
        return new Fold() {
            @Override
            public void accept(ClientUpdate update) {
                meter.add(update);
                fold.accept(update);
            }

            @Override
            public ModelState finish() {
                meter.record(context);
                return fold.finish();
            }
        };
    }

    @Override
    public boolean streams() {
        return StreamingAggregator.of(inner).streams();
    }

    /** Σ n_k Δ_k per part, Σ n_k ‖Δ_k‖² and Σ n_k, accumulated in double where they are scalars. */
    private static final class Meter {
        private final ModelState global;
        private final Map<String, INDArray> sum = new LinkedHashMap<>();
        private double squares;
        private double total;

        Meter(ModelState global) {
            this.global = global;
        }

        void add(ClientUpdate u) {
            if (u.kind() == PayloadKind.GRADIENT || u.numExamples() == 0) {
                return;
            }
            double n = u.numExamples();
            List<INDArray> deltas = new ArrayList<>();
            for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
                INDArray d = Payloads.delta(u, e.getKey(), e.getValue());
                deltas.add(d);
                Vectors.axpy(n, d, sum.computeIfAbsent(e.getKey(),
                        k -> Nd4j.zeros(DataType.FLOAT, e.getValue().length())));
            }
            double norm = Vectors.l2Norm(deltas);
            squares += n * norm * norm;
            total += n;
            if (u.kind() == PayloadKind.WEIGHTS) {
                deltas.forEach(INDArray::close);
            }
        }

        void record(RoundContext context) {
            if (total == 0) {
                return;
            }
            double meanNorm = Vectors.l2Norm(sum.values()) / total;
            double meanSquare = squares / total;
            context.metric(METRIC, meanSquare == 0 ? 0 : 1 - meanNorm * meanNorm / meanSquare);
            sum.values().forEach(INDArray::close);
        }
    }

    @Override
    public String toString() {
        return "DriftMeter(" + inner + ")";
    }
}
