package org.fedgen.core.aggregate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.StreamingAggregator;
import org.fedgen.core.util.Vectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The running sums a streaming average needs: S = Σ_k c_k·p_k per part (one float32 axpy per update and part, in
 * arrival order), C = Σ_k c_k, and D = Σ c_k over the updates that sent deltas. Payload arrays are read during
 * {@link #add} and never kept.
 */
final class RunningSums {
    private final ModelState global;
    private final Map<String, INDArray> sums = new LinkedHashMap<>();
    private double total;

    /** C, the sum of the coefficients added so far. */
    double total() {
        return total;
    }

    private double deltaTotal;

    RunningSums(ModelState global) {
        this.global = global;
    }

    /**
     * A fold that adds each update with the coefficient {@code coefficient} gives it (which may also reject the
     * update by throwing) and finishes with {@code result}; with C = 0 it runs {@code whenEmpty} and returns
     * {@code global} unchanged.
     */
    static StreamingAggregator.Fold fold(ModelState global, ToDoubleFunction<ClientUpdate> coefficient,
            Function<RunningSums, ModelState> result, Runnable whenEmpty) {
        RunningSums sums = new RunningSums(global);
        return new StreamingAggregator.Fold() {
            @Override
            public void accept(ClientUpdate u) {
                sums.add(u, coefficient.applyAsDouble(u));
            }

            @Override
            public ModelState finish() {
                if (sums.total == 0) {
                    whenEmpty.run();
                    return global;
                }
                return result.apply(sums);
            }
        };
    }

    /** Adds c·payload for every part of {@code global}. */
    void add(ClientUpdate u, double c) {
        if (u.kind() == PayloadKind.DELTA) {
            deltaTotal += c;
        }
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            INDArray s = sums.computeIfAbsent(e.getKey(),
                    k -> Nd4j.zeros(DataType.FLOAT, e.getValue().length()));
            Vectors.axpy(c, u.part(e.getKey()), s);
        }
        total += c;
    }

    /** Multiplies S, C and D by f: how a fold whose coefficients share a running normaliser rebases them. */
    void scale(double f) {
        for (INDArray s : sums.values()) {
            s.muli(f);
        }
        total *= f;
        deltaTotal *= f;
    }

    /**
     * S/C + (D/C)·global for every part, written into the sums (which this object then no longer owns): the weighted
     * mean of the clients' weights whether they sent weights or deltas.
     */
    ModelState meanOfWeights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : sums.entrySet()) {
            INDArray s = e.getValue().muli(1.0 / total);
            if (deltaTotal != 0) {
                Vectors.axpy(deltaTotal / total, global.part(e.getKey()), s);
            }
            out.put(e.getKey(), s);
        }
        return ModelState.of(global.round(), out);
    }

    /** global − (η/C)·S for every part, written into the sums: a gradient step of size η on the weighted mean. */
    ModelState stepAgainstMean(double learningRate) {
        double a = -learningRate / total;
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : sums.entrySet()) {
            INDArray s = e.getValue().muli(a);
            s.addi(global.part(e.getKey()));
            out.put(e.getKey(), s);
        }
        return ModelState.of(global.round(), out);
    }
}
