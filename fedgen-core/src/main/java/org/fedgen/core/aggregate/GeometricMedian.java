package org.fedgen.core.aggregate;

import java.util.List;
import java.util.Objects;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;

/**
 * Robust federated aggregation, RFA (Pillutla et al. 2022): the weighted geometric median of the deltas,
 * argmin_v Σ_k p_k ‖v − Δ_k‖, approximated by R smoothed Weiszfeld iterations from the weighted mean v⁰ = Σ p_k Δ_k:
 * β_k = p_k / max(ν, ‖v − Δ_k‖), v ← Σ β_k Δ_k / Σ β_k. Then w_{t+1} = w_t + v. Weights p_k = n_k/n (or 1/K); the
 * distance is taken over all the parts routed to this aggregator as one vector. The metric {@code rfa_objective}
 * records Σ p_k ‖v − Δ_k‖ at the returned v.
 *
 * <p>Buffers every update of the round (K copies of the aggregated parts), computed in double precision. With no
 * accepted update, or no examples, the global state stays.
 */
public final class GeometricMedian implements Aggregator, InspectsIndividualUpdates {
    private final int iterations;
    private final double nu;
    private final FedAvg.Weighting weighting;

    /**
     * @param iterations R ≥ 1 Weiszfeld iterations
     * @param nu         smoothing ν &gt; 0: distances below it count as ν, so a delta at v cannot take all weight
     * @param weighting  the p_k
     */
    public GeometricMedian(int iterations, double nu, FedAvg.Weighting weighting) {
        if (iterations < 1) {
            throw new IllegalArgumentException("RFA iterations must be >= 1, got " + iterations);
        }
        if (!(nu > 0) || !Double.isFinite(nu)) {
            throw new IllegalArgumentException("RFA smoothing nu must be finite and > 0, got " + nu);
        }
        this.iterations = iterations;
        this.nu = nu;
        this.weighting = Objects.requireNonNull(weighting, "weighting");
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        double[] p = FedAvg.weights(updates, weighting);
        if (p == null) {
            return global;
        }
        DeltaRows rows = DeltaRows.of(global, updates);
        double[] v = rows.weightedSum(p);
        double[] beta = new double[p.length];
        for (int it = 0; it < iterations; it++) {
            double total = 0;
            for (int k = 0; k < p.length; k++) {
                beta[k] = p[k] / Math.max(nu, distance(v, rows.row(k)));
                total += beta[k];
            }
            for (int k = 0; k < p.length; k++) {
                beta[k] /= total;
            }
            v = rows.weightedSum(beta);
        }
        double objective = 0;
        for (int k = 0; k < p.length; k++) {
            objective += p[k] * distance(v, rows.row(k));
        }
        context.metric("rfa_objective", objective);
        return rows.apply(v);
    }

    private static double distance(double[] v, float[] row) {
        double s = 0;
        for (int c = 0; c < v.length; c++) {
            double d = v[c] - row[c];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    @Override
    public String toString() {
        return "RFA(R=" + iterations + ", nu=" + nu + ", " + weighting + ")";
    }
}
