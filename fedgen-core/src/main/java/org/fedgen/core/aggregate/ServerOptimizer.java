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
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adaptive server optimizers (Reddi et al. 2021, "Adaptive Federated Optimization") as a decorator: the wrapped
 * aggregator proposes a new global state, its difference from the current one is the pseudo-gradient
 * Δ = inner(global) − w_t, and the server takes an optimizer step with it:
 * <ul>
 *   <li>FedAvgM: v = βv + Δ, w += η v</li>
 *   <li>FedAdam: m = β₁m + (1−β₁)Δ, v = β₂v + (1−β₂)Δ², w += η m/(√v + τ)</li>
 *   <li>FedYogi: as FedAdam but v = v − (1−β₂)Δ² sign(v − Δ²)</li>
 * </ul>
 * Moments start at zero and have no bias correction, as in the paper's Algorithm 2 with v₋₁ = 0.
 *
 * <p>The learning rate may decay exponentially ({@link #withLearningRateDecay}): round t (1-based) steps with
 * η γ^(t−1). Reddi et al. tune a constant η; a decay keeps the fast early progress of a large η and shrinks the step
 * later, when a large one overshoots. The factor depends only on the round number, so a resumed run continues the
 * same schedule.
 *
 * <p>With DP-FedAvg as the inner aggregator the step is post-processing of the noisy mean and keeps the guarantee.
 *
 * <p>{@link #state()} holds the moments per part ({@code m/<part>}, {@code v/<part>}) and the inner aggregator's state
 * under {@code inner/}.
 *
 * <p>Streams when the inner aggregator does: the inner fold runs as updates arrive and the step is taken at the end.
 */
public final class ServerOptimizer implements StreamingAggregator, AggregatorDecorator {
    private static final String M = "m/";
    private static final String V = "v/";
    private static final String INNER = "inner/";

    /** The update rule. */
    public enum Kind {
        /** Server momentum. */
        AVGM,
        /** Adam without bias correction. */
        ADAM,
        /** Yogi: additive second-moment update. */
        YOGI
    }

    private final Aggregator inner;
    private final Kind kind;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double tau;
    private final double decay;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();

    private ServerOptimizer(Aggregator inner, Kind kind, double learningRate, double beta1, double beta2, double tau,
            double decay) {
        if (inner == null) {
            throw new IllegalArgumentException("inner aggregator must not be null");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("server learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 / momentum must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be finite and > 0, got " + tau);
        }
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("learning-rate decay must be in (0, 1], got " + decay);
        }
        this.inner = inner;
        this.kind = kind;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.tau = tau;
        this.decay = decay;
    }

    /** FedAvgM with server learning rate η and momentum β. */
    public static ServerOptimizer fedAvgM(Aggregator inner, double learningRate, double momentum) {
        return new ServerOptimizer(inner, Kind.AVGM, learningRate, momentum, 0, 1, 1);
    }

    /** FedAdam with server learning rate η, moment decays β₁, β₂ and adaptivity τ. */
    public static ServerOptimizer fedAdam(Aggregator inner, double learningRate, double beta1, double beta2,
            double tau) {
        return new ServerOptimizer(inner, Kind.ADAM, learningRate, beta1, beta2, tau, 1);
    }

    /** FedYogi with server learning rate η, moment decays β₁, β₂ and adaptivity τ. */
    public static ServerOptimizer fedYogi(Aggregator inner, double learningRate, double beta1, double beta2,
            double tau) {
        return new ServerOptimizer(inner, Kind.YOGI, learningRate, beta1, beta2, tau, 1);
    }

    /**
     * The optimizer of {@code kind}: {@link #fedAvgM} with momentum β₁ (β₂ and τ unused), {@link #fedAdam} or
     * {@link #fedYogi}.
     */
    public static ServerOptimizer of(Kind kind, Aggregator inner, double learningRate, double beta1, double beta2,
            double tau) {
        return switch (kind) {
            case AVGM -> fedAvgM(inner, learningRate, beta1);
            case ADAM -> fedAdam(inner, learningRate, beta1, beta2, tau);
            case YOGI -> fedYogi(inner, learningRate, beta1, beta2, tau);
        };
    }

    /**
     * This optimizer with its learning rate decaying by {@code gamma} per round: round t (1-based) steps with
     * η γ^(t−1); γ = 1 is the constant rate. The moments start afresh, so call it before the first round.
     *
     * @param gamma per-round factor in (0, 1]
     */
    public ServerOptimizer withLearningRateDecay(double gamma) {
        return new ServerOptimizer(inner, kind, learningRate, beta1, beta2, tau, gamma);
    }

    /** The learning rate round {@code round} (1-based) steps with: η γ^(round−1). */
    public double learningRate(long round) {
        return decay == 1 ? learningRate : learningRate * Math.pow(decay, round - 1);
    }

    @Override
    public Aggregator inner() {
        return inner;
    }

    /** Which server optimizer this is. */
    public Kind kind() {
        return kind;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        return takeStep(global, inner.aggregate(global, updates, context), learningRate(context.round()));
    }

    @Override
    public Fold begin(ModelState global, RoundContext context) {
        return StreamingAggregator.of(inner).begin(global, context).andThen(
                proposed -> takeStep(global, proposed, learningRate(context.round())));
    }

    @Override
    public boolean streams() {
        return StreamingAggregator.of(inner).streams();
    }

    private ModelState takeStep(ModelState global, ModelState proposed, double lr) {
        Map<String, INDArray> next = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            String part = e.getKey();
            INDArray w = e.getValue();
            INDArray delta = proposed.part(part).sub(w);
            next.put(part, step(part, w, delta, lr));
        }
        return ModelState.of(global.round(), next);
    }

    private INDArray step(String part, INDArray w, INDArray delta, double lr) {
        INDArray mp = moment(m, part, w.length());
        if (kind == Kind.AVGM) {
            mp.muli(beta1).addi(delta);
            return mp.mul(lr).addi(w);
        }
        INDArray vp = moment(v, part, w.length());
        mp.muli(beta1).addi(delta.mul(1 - beta1));
        INDArray sq = delta.mul(delta);
        if (kind == Kind.ADAM) {
            vp.muli(beta2).addi(sq.muli(1 - beta2));
        } else {
            INDArray sign = Transforms.sign(vp.sub(sq), false);
            vp.subi(sq.muli(sign).muli(1 - beta2));
        }
        INDArray denom = Transforms.sqrt(vp, true).addi(tau);
        return mp.div(denom).muli(lr).addi(w);
    }

    private static INDArray moment(Map<String, INDArray> store, String part, long length) {
        INDArray x = store.get(part);
        if (x == null) {
            x = Nd4j.zeros(DataType.FLOAT, length);
            store.put(part, x);
        } else if (x.length() != length) {
            throw new IllegalArgumentException("server optimizer state for part '" + part + "' has length "
                    + x.length() + " but the part has " + length);
        }
        return x;
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        m.forEach((k, x) -> s.put(M + k, x.dup()));
        v.forEach((k, x) -> s.put(V + k, x.dup()));
        inner.state().forEach((k, x) -> s.put(INNER + k, x));
        return s;
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        Map<String, INDArray> innerState = new LinkedHashMap<>();
        Map<String, INDArray> newM = new LinkedHashMap<>();
        Map<String, INDArray> newV = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(INNER)) {
                innerState.put(k.substring(INNER.length()), e.getValue());
            } else if (k.startsWith(M)) {
                newM.put(k.substring(M.length()), floatVector(k, e.getValue()));
            } else if (k.startsWith(V) && kind != Kind.AVGM) {
                newV.put(k.substring(V.length()), floatVector(k, e.getValue()));
            } else {
                throw new IllegalArgumentException("unknown server optimizer state key '" + k + "'");
            }
        }
        inner.restoreState(innerState);
        m.clear();
        m.putAll(newM);
        v.clear();
        v.putAll(newV);
    }

    private static INDArray floatVector(String key, INDArray x) {
        if (x.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("state '" + key + "' must be FLOAT, got " + x.dataType());
        }
        return x.dup().reshape(x.length());
    }

    @Override
    public String toString() {
        return "ServerOptimizer{" + kind + ", lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", tau=" + tau + (decay == 1 ? "" : ", decay=" + decay) + ", inner=" + inner + '}';
    }
}
