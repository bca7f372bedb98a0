package org.fedgen.core.aggregate;

import java.util.List;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;

/**
 * Coordinate-wise β-trimmed mean (Yin et al. 2018): per coordinate, drop the b = ⌊β·K⌋ largest and b smallest of the K
 * deltas and average the remaining K − 2b; w_{t+1} = w_t + that mean. Clients count the same whatever number of
 * examples they claim. Tolerates up to b attackers per coordinate.
 *
 * <p>Buffers every update of the round (K copies of the aggregated parts). With no accepted update the global state
 * stays.
 */
public final class TrimmedMean implements Aggregator, InspectsIndividualUpdates {
    private final double beta;

    /**
     * @param beta the fraction trimmed at each end, 0 ≤ β &lt; 0.5
     */
    public TrimmedMean(double beta) {
        if (!(beta >= 0 && beta < 0.5)) {
            throw new IllegalArgumentException("trim fraction beta must be in [0, 0.5), got " + beta);
        }
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    /** b = ⌊β·K⌋, the number of values dropped at each end when K updates arrive. */
    public int trimmed(int k) {
        return (int) Math.floor(beta * k);
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        if (updates.isEmpty()) {
            return global;
        }
        int b = trimmed(updates.size());
        DeltaRows rows = DeltaRows.of(global, updates);
        return rows.apply(rows.perCoordinate(sorted -> {
            double s = 0;
            for (int i = b; i < sorted.length - b; i++) {
                s += sorted[i];
            }
            return s / (sorted.length - 2 * b);
        }));
    }

    @Override
    public String toString() {
        return "TrimmedMean(beta=" + beta + ")";
    }
}
