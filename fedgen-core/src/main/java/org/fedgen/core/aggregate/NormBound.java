package org.fedgen.core.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.util.Vectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Norm bounding (Sun et al. 2019): each delta is clipped to norm M, Δ_k · min(1, M/‖Δ_k‖₂), and the clipped deltas are
 * averaged as FedAvg would, w_{t+1} = w_t + Σ_k p_k Δ_k min(1, M/‖Δ_k‖) with p_k = n_k/n (or 1/K). The norm is taken
 * over all the parts routed to this aggregator as one vector. One client moves the global state by at most p_k·M.
 *
 * <p>The result depends on the updates only through the sum of clipped deltas, so it does not buffer the round's updates
 * beyond what the server holds and does not inspect them individually beyond clipping (as DP-FedAvg's clipping). The
 * metric {@code norm_bound_clipped} counts the clipped deltas. With no accepted update, or no examples, the global
 * state stays.
 */
public final class NormBound implements Aggregator {
    private final double bound;
    private final FedAvg.Weighting weighting;

    /**
     * @param bound     M &gt; 0, finite
     * @param weighting how the clipped deltas are averaged
     */
    public NormBound(double bound, FedAvg.Weighting weighting) {
        if (!(bound > 0) || !Double.isFinite(bound)) {
            throw new IllegalArgumentException("norm bound M must be finite and > 0, got " + bound);
        }
        this.bound = bound;
        this.weighting = Objects.requireNonNull(weighting, "weighting");
    }

    /** Sample-weighted averaging of the clipped deltas. */
    public NormBound(double bound) {
        this(bound, FedAvg.Weighting.SAMPLES);
    }

    public double bound() {
        return bound;
    }

    /** min(1, M/‖Δ‖) for a delta of norm {@code norm}. */
    public double clipFactor(double norm) {
        return norm > bound ? bound / norm : 1.0;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        double[] p = FedAvg.weights(updates, weighting);
        if (p == null) {
            return global;
        }
        // Σ_k a_k Δ_k with a_k = p_k·c_k, written over the payloads: a WEIGHTS payload w_k contributes a_k w_k and
        // −a_k to the global's coefficient, a DELTA payload contributes a_k Δ_k; so no delta is materialised twice.
        double[] a = new double[updates.size()];
        double globalCoefficient = 1.0;
        int clipped = 0;
        for (int k = 0; k < a.length; k++) {
            ClientUpdate u = updates.get(k);
            double c = clipFactor(deltaNorm(u, global));
            clipped += c < 1 ? 1 : 0;
            a[k] = p[k] * c;
            if (u.kind() == PayloadKind.WEIGHTS) {
                globalCoefficient -= a[k];
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String part : global.partNames()) {
            List<INDArray> vectors = new ArrayList<>(a.length + 1);
            for (ClientUpdate u : updates) {
                vectors.add(u.part(part));
            }
            vectors.add(global.part(part));
            double[] coefficients = java.util.Arrays.copyOf(a, a.length + 1);
            coefficients[a.length] = globalCoefficient;
            out.put(part, Vectors.weightedSum(vectors, coefficients));
        }
        context.metric("norm_bound_clipped", clipped);
        return ModelState.of(global.round(), out);
    }

    private static double deltaNorm(ClientUpdate u, ModelState global) {
        double sq = 0;
        for (String part : global.partNames()) {
            INDArray d = Payloads.delta(u, part, global.part(part));
            double n = d.norm2Number().doubleValue();
            if (!Double.isFinite(n)) {
                // the float sum of squares overflowed (|x| > 1.8e19): rescale by the largest magnitude first
                double max = d.amaxNumber().doubleValue();
                INDArray scaled = d.div(max);
                n = scaled.norm2Number().doubleValue() * max;
                scaled.close();
            }
            sq += n * n;
            if (d != u.part(part)) {
                d.close();
            }
        }
        return Math.sqrt(sq);
    }

    @Override
    public String toString() {
        return "NormBound(M=" + bound + ", " + weighting + ")";
    }
}
