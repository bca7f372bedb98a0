package org.fedgen.core.aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The round's client deltas Δ_k = w_k − w_t as rows of one matrix over the concatenation of the aggregator's parts (in
 * the global state's part order), for the rules that need every update at once (order statistics, distances). The
 * rows are float32 copies; a robust rule computes one aggregated delta over the same layout and {@link #apply} adds it
 * to the global state.
 */
final class DeltaRows {
    private final ModelState global;
    private final float[][] rows;

    private DeltaRows(ModelState global, float[][] rows) {
        this.global = global;
        this.rows = rows;
    }

    /** Copies every update's delta for the parts of {@code global}; throws for GRADIENT payloads. */
    static DeltaRows of(ModelState global, List<ClientUpdate> updates) {
        int len = Math.toIntExact(global.numParams());
        float[][] rows = new float[updates.size()][len];
        for (int k = 0; k < rows.length; k++) {
            int off = 0;
            for (String part : global.partNames()) {
                INDArray g = global.part(part);
                INDArray d = Payloads.delta(updates.get(k), part, g);
                float[] v = d.toFloatVector();
                System.arraycopy(v, 0, rows[k], off, v.length);
                off += v.length;
                if (d != updates.get(k).part(part)) {
                    d.close();
                }
            }
        }
        return new DeltaRows(global, rows);
    }

    /** Number of updates K. */
    int count() {
        return rows.length;
    }

    /** Coordinates per update (the summed length of the parts). */
    int length() {
        return rows.length == 0 ? 0 : rows[0].length;
    }

    /** Update k's delta; callers must not modify it. */
    float[] row(int k) {
        return rows[k];
    }

    /** ‖Δ_k‖₂ over all parts, in double precision. */
    double norm(int k) {
        double s = 0;
        for (float x : rows[k]) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /** ‖Δ_i − Δ_j‖₂², in double precision. */
    double squaredDistance(int i, int j) {
        float[] a = rows[i];
        float[] b = rows[j];
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            double d = (double) a[c] - b[c];
            s += d * d;
        }
        return s;
    }

    /** Σ_k w_k·Δ_k in double precision (the weights need not sum to 1). */
    double[] weightedSum(double[] w) {
        double[] out = new double[length()];
        for (int k = 0; k < rows.length; k++) {
            if (w[k] == 0) {
                continue;
            }
            float[] r = rows[k];
            for (int c = 0; c < out.length; c++) {
                out[c] += w[k] * r[c];
            }
        }
        return out;
    }

    /** A statistic of one coordinate's K values, given sorted ascending. */
    interface ColumnStatistic {
        double of(float[] sorted);
    }

    /** The statistic of every coordinate's K values (one sorted copy per coordinate). */
    double[] perCoordinate(ColumnStatistic stat) {
        double[] out = new double[length()];
        float[] col = new float[rows.length];
        for (int c = 0; c < out.length; c++) {
            for (int k = 0; k < col.length; k++) {
                col[k] = rows[k][c];
            }
            java.util.Arrays.sort(col);
            out[c] = stat.of(col);
        }
        return out;
    }

    /** The new global state w_t + delta, split back into the parts (each coordinate rounded once to float). */
    ModelState apply(double[] delta) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        int off = 0;
        for (String part : global.partNames()) {
            float[] g = global.part(part).toFloatVector();
            for (int c = 0; c < g.length; c++) {
                g[c] = (float) (g[c] + delta[off + c]);
            }
            off += g.length;
            out.put(part, Nd4j.createFromArray(g));
        }
        return ModelState.of(global.round(), out);
    }
}
