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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * FedExP (Jhunjhunwala, Wang and Joshi 2023, "FedExP: Speeding up Federated Averaging via Extrapolation") as a
 * decorator: the wrapped averaging rule proposes a new global state, Δ̄ = inner(global) − w_t is its pseudo-gradient,
 * and the server extrapolates along it, w_{t+1} = w_t + η_g Δ̄, with the step size chosen every round from the
 * clients' own updates:
 *
 * <pre>  η_g = max(1, Σ_k p_k ‖Δ_k‖² / (2 (‖Δ̄‖² + ε)))</pre>
 *
 * with p_k = n_k / n (the weights of sample-weighted FedAvg, the inner rule this is meant for) and norms over all
 * parts. When the clients agree the ratio is near 1/2 and the step stays at plain averaging; the more their updates
 * cancel in the average, the larger the step: η_g = 1 / (2 (1 − drift)) in terms of {@link DriftMeter}'s metric, up
 * to ε. When η_g is 1 the inner proposal is returned as is, so the first rounds of a run can match FedAvg bit for bit.
 *
 * <p>The chosen step is recorded as {@value #METRIC}. It is computed from individual updates (their norms), so a DP
 * run refuses it ({@link InspectsIndividualUpdates}). Streams when the inner rule does, holding one double
 * (Σ n_k ‖Δ_k‖²) besides the inner fold; stateless.
 */
public final class FedExp implements StreamingAggregator, AggregatorDecorator, InspectsIndividualUpdates {
    /** The metric holding the round's server step size η_g. */
    public static final String METRIC = "server_step";

    /** The paper's default ε. */
    public static final double DEFAULT_EPSILON = 1e-3;

    private final Aggregator inner;
    private final double epsilon;

    /**
     * FedExP around {@code inner} with the given ε (guards the division when the average barely moves).
     *
     * @throws IllegalArgumentException if {@code inner} is null or ε is not finite and ≥ 0
     */
    public FedExp(Aggregator inner, double epsilon) {
        if (inner == null) {
            throw new IllegalArgumentException("inner aggregator must not be null");
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("FedExP epsilon must be finite and >= 0, got " + epsilon);
        }
        this.inner = inner;
        this.epsilon = epsilon;
    }

    @Override
    public Aggregator inner() {
        return inner;
    }

    /** ε of the step-size rule. */
    public double epsilon() {
        return epsilon;
    }

    /**
     * The step size for mean squared client update {@code meanSquare} = Σ p_k ‖Δ_k‖² and squared average update
     * {@code averageSquare} = ‖Δ̄‖²: max(1, meanSquare / (2 (averageSquare + ε))), and 1 when both are 0.
     */
    public double stepSize(double meanSquare, double averageSquare) {
        double denom = 2 * (averageSquare + epsilon);
        if (denom == 0) {
            return 1;
        }
        return Math.max(1, meanSquare / denom);
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        Squares squares = new Squares(global);
        updates.forEach(squares::add);
        return extrapolate(global, inner.aggregate(global, updates, context), squares, context);
    }

    @Override
    public Fold begin(ModelState global, RoundContext context) {
        Squares squares = new Squares(global);
        Fold fold = StreamingAggregator.of(inner).begin(global, context);
        return new Fold() {
            @Override
            public void accept(ClientUpdate update) {
                squares.add(update);
                fold.accept(update);
            }

            @Override
            public ModelState finish() {
                return extrapolate(global, fold.finish(), squares, context);
            }
        };
    }

    @Override
    public boolean streams() {
        return StreamingAggregator.of(inner).streams();
    }

    private ModelState extrapolate(ModelState global, ModelState proposed, Squares squares, RoundContext context) {
        if (squares.total == 0) {
            return proposed;
        }
        Map<String, INDArray> deltas = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            deltas.put(e.getKey(), proposed.part(e.getKey()).sub(e.getValue()));
        }
        double average = Vectors.l2Norm(deltas.values());
        double step = stepSize(squares.sum / squares.total, average * average);
        context.metric(METRIC, step);
        if (step == 1) {
            deltas.values().forEach(INDArray::close);
            return proposed;
        }
        Map<String, INDArray> next = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            INDArray w = e.getValue().dup();
            Vectors.axpy(step, deltas.get(e.getKey()), w);
            next.put(e.getKey(), w);
        }
        deltas.values().forEach(INDArray::close);
        return ModelState.of(global.round(), next);
    }

    /** Σ n_k ‖Δ_k‖² and Σ n_k, in double. */
    private static final class Squares {
        private final ModelState global;
        private double sum;
        private double total;

        Squares(ModelState global) {
            this.global = global;
        }

        void add(ClientUpdate u) {
            Payloads.requireAveragable(u);
            if (u.numExamples() == 0) {
                return;
            }
            List<INDArray> deltas = new ArrayList<>();
            for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
                deltas.add(Payloads.delta(u, e.getKey(), e.getValue()));
            }
            double norm = Vectors.l2Norm(deltas);
            double n = u.numExamples();
            sum += n * norm * norm;
            total += n;
            if (u.kind() == PayloadKind.WEIGHTS) {
                deltas.forEach(INDArray::close);
            }
        }
    }

    @Override
    public String toString() {
        return "FedExp(eps=" + epsilon + ", " + inner + ")";
    }
}
