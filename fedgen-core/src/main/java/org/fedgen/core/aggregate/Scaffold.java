package org.fedgen.core.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ControlParts;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.util.Vectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SCAFFOLD (Karimireddy et al. 2020, "SCAFFOLD: Stochastic Controlled Averaging for Federated Learning") with option II
 * control variates. The server keeps a control c per part and sends it with the instructions
 * ({@link FitInstructions#serverControl()}); each client corrects every local gradient by c − c_i (see
 * {@link org.fedgen.core.DriftCorrection}: with an adaptive local optimizer such as Adam the correction enters the
 * gradient <em>before</em> the optimizer), keeps its new control c_i⁺ and sends its delta Δy_i with Δc_i = c_i⁺ − c_i
 * as {@link ControlParts control parts}. The server then steps
 *
 * <pre>  x ← x + η_g Σ_k p_k Δy_k,   c ← c + (|S| / N) Σ_k p_k Δc_k</pre>
 *
 * with p_k = n_k / Σ n (sample weights, as {@link FedAvg}), |S| the updates with examples and N the population.
 * With every client in every round, c stays the sample-weighted mean of the clients' controls; with η_g = 1 the model
 * step is FedAvg's over the corrected client steps.
 *
 * <p>Δc_k is as untrusted as the rest of an update: the server's {@link org.fedgen.core.UpdateValidator} rejects (and
 * counts) an update whose control parts are missing, of the wrong length or not finite. A client whose update is
 * rejected or late has already moved its own control, so c then no longer equals the clients' mean exactly (as in
 * the paper when clients drop out).
 *
 * <p>{@link #state()} holds c ({@code scaffold/c/<part>}); the clients' controls are client state (a simulation's
 * checkpoint keeps them in the clients' stores). The step is recorded as {@value #METRIC} = ‖c‖. Not a streaming rule:
 * a round's updates are buffered.
 */
public final class Scaffold implements Aggregator {
    /** The metric holding ‖c‖ after the round, over all parts. */
    public static final String METRIC = "control_norm";
    /** The prefix of the server control's entries in {@link #state()}. */
    public static final String STATE_PREFIX = "scaffold/c/";

    private static final Logger LOG = LoggerFactory.getLogger(Scaffold.class);

    private final double serverLearningRate;
    /** c per part; replaced (never modified) each round, because the instructions of running fits share it. */
    private Map<String, INDArray> control = Map.of();

    /**
     * SCAFFOLD with global step size η_g.
     *
     * @throws IllegalArgumentException unless η_g is finite and &gt; 0
     */
    public Scaffold(double serverLearningRate) {
        if (!(serverLearningRate > 0) || Double.isInfinite(serverLearningRate)) {
            throw new IllegalArgumentException("SCAFFOLD server learning rate must be finite and > 0, got "
                    + serverLearningRate);
        }
        this.serverLearningRate = serverLearningRate;
    }

    /** η_g. */
    public double serverLearningRate() {
        return serverLearningRate;
    }

    /** The current server control c per part (zero before the first round); unmodifiable, do not modify. */
    public Map<String, INDArray> control() {
        return java.util.Collections.unmodifiableMap(control);
    }

    /** Asks for deltas and sends c for every part of {@code global}. */
    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        ensureControl(global);
        return instructions.toBuilder().payloadKind(PayloadKind.DELTA).serverControl(control).build();
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        ensureControl(global);
        List<ClientUpdate> counted = new ArrayList<>();
        double total = 0;
        for (ClientUpdate u : updates) {
            Payloads.requireAveragable(u);
            if (u.numExamples() > 0) {
                counted.add(u);
                total += u.numExamples();
            }
        }
        if (counted.isEmpty()) {
            LOG.warn("round {}: no update with examples; global parts {} and the server control unchanged",
                    context.round(), global.partNames());
            return global;
        }
        double[] p = new double[counted.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = counted.get(k).numExamples() / total;
        }
        double share = (double) counted.size() / context.populationSize();
        Map<String, INDArray> next = new LinkedHashMap<>();
        Map<String, INDArray> nextControl = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            String part = e.getKey();
            List<INDArray> dy = new ArrayList<>(p.length);
            List<INDArray> dc = new ArrayList<>(p.length);
            for (ClientUpdate u : counted) {
                dy.add(Payloads.delta(u, part, e.getValue()));
                dc.add(u.part(ControlParts.of(part)));
            }
            INDArray meanDy = Vectors.weightedSum(dy, p);
            INDArray x = e.getValue().dup();
            Vectors.axpy(serverLearningRate, meanDy, x);
            next.put(part, x);
            INDArray c = control.get(part).dup();
            Vectors.axpy(share, Vectors.weightedSum(dc, p), c);
            nextControl.put(part, c);
            meanDy.close();
        }
        control = nextControl;
        context.metric(METRIC, Vectors.l2Norm(control.values()));
        return ModelState.of(global.round(), next);
    }

    /** Zero controls for the global parts the first time; afterwards checks that c still matches them. */
    private void ensureControl(ModelState global) {
        if (control.isEmpty()) {
            Map<String, INDArray> zeros = new LinkedHashMap<>();
            global.parts().forEach((k, v) -> zeros.put(k, Nd4j.zeros(DataType.FLOAT, v.length())));
            control = zeros;
            return;
        }
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            INDArray c = control.get(e.getKey());
            if (c == null || c.length() != e.getValue().length()) {
                throw new IllegalStateException("SCAFFOLD's server control " + control.keySet() + " does not match"
                        + " the global part '" + e.getKey() + "' of length " + e.getValue().length());
            }
        }
    }

    /** c per part, under {@value #STATE_PREFIX}; empty before the first round. */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        control.forEach((k, v) -> s.put(STATE_PREFIX + k, v.dup()));
        return s;
    }

    /**
     * Restores c from {@link #state()}.
     *
     * @throws IllegalArgumentException naming an entry that is not a server control or is not a finite float32 vector
     */
    @Override
    public void restoreState(Map<String, INDArray> state) {
        Map<String, INDArray> c = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            if (!e.getKey().startsWith(STATE_PREFIX) || e.getKey().length() == STATE_PREFIX.length()) {
                throw new IllegalArgumentException("SCAFFOLD state has an unknown entry '" + e.getKey()
                        + "'; expected " + STATE_PREFIX + "<part>");
            }
            INDArray v = e.getValue();
            if (v.dataType() != DataType.FLOAT || !v.isVector() && v.length() != 1 || !Vectors.allFinite(v)) {
                throw new IllegalArgumentException("SCAFFOLD state entry '" + e.getKey() + "' must be a finite float32"
                        + " vector");
            }
            c.put(e.getKey().substring(STATE_PREFIX.length()), v.dup());
        }
        control = c;
    }

    @Override
    public String toString() {
        return "Scaffold(serverLr=" + serverLearningRate + ")";
    }
}
