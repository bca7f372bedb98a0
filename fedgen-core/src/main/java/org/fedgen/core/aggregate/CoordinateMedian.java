package org.fedgen.core.aggregate;

import java.util.List;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;

/**
 * Coordinate-wise median (Yin et al. 2018): w_{t+1} = w_t + median_k Δ_k per coordinate, the mean of the two middle
 * values when K is even. Clients count the same whatever number of examples they claim, so a client can move a
 * coordinate only within the range of the honest values while fewer than half the clients collude.
 *
 * <p>Buffers every update of the round (K copies of the aggregated parts) because a median needs all values at once.
 * With no accepted update the global state stays.
 */
public final class CoordinateMedian implements Aggregator, InspectsIndividualUpdates {

    /** The median of sorted values. */
    static double median(float[] sorted) {
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : ((double) sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        if (updates.isEmpty()) {
            return global;
        }
        DeltaRows rows = DeltaRows.of(global, updates);
        return rows.apply(rows.perCoordinate(CoordinateMedian::median));
    }

    @Override
    public String toString() {
        return "CoordinateMedian";
    }
}
