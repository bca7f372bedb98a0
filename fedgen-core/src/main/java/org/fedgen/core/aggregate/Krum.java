package org.fedgen.core.aggregate;

import java.util.Arrays;
import java.util.List;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Krum and Multi-Krum (Blanchard et al. 2017) for at most f Byzantine clients among the n updates of a round. Each
 * delta gets the score s_i = Σ_{j ∈ N_i} ‖Δ_i − Δ_j‖², where N_i are the n − f − 2 deltas nearest to Δ_i; the m deltas
 * with the lowest scores (ties: lower client id first) are averaged with equal weights and added to the global state.
 * Krum is m = 1. Distances are taken over all the parts routed to this aggregator as one vector.
 *
 * <p>The rule needs n ≥ 2f + 3. A round with fewer accepted updates (clients failed or were rejected) keeps the global
 * state, logs a warning and records the metric {@code krum_refused} = 1, rather than aborting the run; configurations
 * should check {@link #requireEnough(int)} up front.
 *
 * <p>Buffers every update of the round (n copies of the aggregated parts) and computes all n² distances.
 */
public final class Krum implements Aggregator, InspectsIndividualUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(Krum.class);

    private final int f;
    private final int m;

    /**
     * @param f the number of Byzantine clients tolerated, ≥ 0
     * @param m how many lowest-scoring deltas to average, ≥ 1; 0 means n − f of each round
     */
    public Krum(int f, int m) {
        if (f < 0) {
            throw new IllegalArgumentException("Krum f (Byzantine clients tolerated) must be >= 0, got " + f);
        }
        if (m < 0) {
            throw new IllegalArgumentException("Multi-Krum m (updates averaged) must be >= 0, got " + m);
        }
        this.f = f;
        this.m = m;
    }

    /** Krum: the single lowest-scoring delta. */
    public static Krum krum(int f) {
        return new Krum(f, 1);
    }

    /** Multi-Krum averaging the m lowest-scoring deltas (0: n − f). */
    public static Krum multiKrum(int f, int m) {
        return new Krum(f, m);
    }

    public int f() {
        return f;
    }

    public int m() {
        return m;
    }

    /**
     * Checks that n updates per round are enough for this f (n ≥ 2f + 3) and for m (m ≤ n).
     *
     * @throws IllegalArgumentException naming n, f and m otherwise
     */
    public void requireEnough(int n) {
        if (n < 2 * f + 3) {
            throw new IllegalArgumentException("Krum with f = " + f + " needs at least 2f + 3 = " + (2 * f + 3)
                    + " updates per round, but rounds have " + n);
        }
        if (m > n) {
            throw new IllegalArgumentException("Multi-Krum m = " + m + " exceeds the " + n + " updates per round");
        }
    }

    /** The Krum scores of the rows, in row order. */
    double[] scores(DeltaRows rows) {
        int n = rows.count();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = rows.squaredDistance(i, j);
                d[j][i] = d[i][j];
            }
        }
        int nearest = n - f - 2;
        double[] s = new double[n];
        double[] others = new double[n - 1];
        for (int i = 0; i < n; i++) {
            int o = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    others[o++] = d[i][j];
                }
            }
            Arrays.sort(others);
            for (int j = 0; j < nearest; j++) {
                s[i] += others[j];
            }
        }
        return s;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        int n = updates.size();
        if (n == 0) {
            return global;
        }
        int keep = m == 0 ? n - f : m;
        if (n < 2 * f + 3 || keep > n) {
            LOG.warn("round {}: {} accepted updates are too few for Krum(f = {}, m = {}), which needs n >= {} and"
                    + " m <= n; global parts {} unchanged", context.round(), n, f, m, 2 * f + 3, global.partNames());
            context.metric("krum_refused", 1);
            return global;
        }
        DeltaRows rows = DeltaRows.of(global, updates);
        double[] s = scores(rows);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> s[a] != s[b] ? Double.compare(s[a], s[b]) : Integer.compare(a, b));
        double[] w = new double[n];
        for (int i = 0; i < keep; i++) {
            w[order[i]] = 1.0 / keep;
        }
        context.metric("krum_refused", 0);
        return rows.apply(rows.weightedSum(w));
    }

    @Override
    public String toString() {
        return m == 1 ? "Krum(f=" + f + ")" : "MultiKrum(f=" + f + ", m=" + (m == 0 ? "n-f" : m) + ")";
    }
}
