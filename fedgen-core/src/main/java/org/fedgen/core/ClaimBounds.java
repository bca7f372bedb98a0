package org.fedgen.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The server's bound on the example counts n_k that clients claim, which sample-weighted rules turn into weights:
 * <ol>
 *   <li>a client with a registered size ({@link ClientProxy#registeredExamples()}) counts min(claim, registered);
 *       a client without one counts 1 (uniform weight), whatever it claims;</li>
 *   <li>then, if a maximum share ρ &lt; 1 is configured, counts are water-filled so that no client holds more than ρ of
 *       the round's total: the largest counts are lowered to t = ⌊ρ·S / (1 − c·ρ)⌋, where c is the number lowered and S
 *       the sum of the others (so a client not lowered may exceed ρ by the rounding of t to an integer). If ρ·K &lt; 1 no
 *       such bound exists and every client counts the same.</li>
 * </ol>
 * An honest simulation claims exactly its shard sizes, so step 1 changes nothing there.
 */
public final class ClaimBounds {
    private final Map<Integer, OptionalLong> registered;
    private final double maxShare;

    /**
     * @param registered each client's registered size, by id
     * @param maxShare   ρ in (0, 1]; 1 disables step 2
     */
    public ClaimBounds(Map<Integer, OptionalLong> registered, double maxShare) {
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("maximum client weight share must be in (0, 1], got " + maxShare);
        }
        this.registered = Map.copyOf(registered);
        this.maxShare = maxShare;
    }

    public double maxShare() {
        return maxShare;
    }

    /** The count client {@code id} may have claiming {@code claimed}, before the share bound. */
    public long bounded(int id, long claimed) {
        OptionalLong r = registered.getOrDefault(id, OptionalLong.empty());
        return r.isPresent() ? Math.min(claimed, r.getAsLong()) : 1;
    }

    /** The updates with bounded counts, in the same order; an update whose count is unchanged is the same object. */
    public List<ClientUpdate> apply(List<ClientUpdate> updates) {
        long[] n = new long[updates.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = bounded(updates.get(i).clientId(), updates.get(i).numExamples());
        }
        capShares(n, maxShare);
        List<ClientUpdate> out = new ArrayList<>(n.length);
        for (int i = 0; i < n.length; i++) {
            out.add(updates.get(i).withNumExamples(n[i]));
        }
        return out;
    }

    /** Lowers the largest counts in place so that none exceeds {@code share} of the total (see the class comment). */
    static void capShares(long[] n, double share) {
        if (share >= 1 || n.length == 0) {
            return;
        }
        double[] v = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            v[i] = n[i];
        }
        double t = level(v, share);
        for (int i = 0; i < n.length; i++) {
            if (Double.isNaN(t)) {
                n[i] = 1;
            } else if (n[i] > t) {
                n[i] = (long) Math.floor(t);
            }
        }
    }

    /**
     * Weights w_k ≥ 0 normalised and water-filled so that none exceeds {@code share}: the largest are lowered to a common
     * level t and the rest keep their proportions. If share·K &lt; 1 the weights are uniform.
     *
     * @return a new array summing to 1 (the input is not modified); null if the weights, or the capped weights, sum to 0
     */
    public static double[] cappedShares(double[] w, double share) {
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        if (!(sum > 0)) {
            return null;
        }
        double t = share >= 1 ? Double.POSITIVE_INFINITY : level(w, share);
        double[] out = new double[w.length];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            out[i] = Double.isNaN(t) ? 1 : Math.min(w[i], t);
            total += out[i];
        }
        if (!(total > 0)) {
            return null;
        }
        for (int i = 0; i < w.length; i++) {
            out[i] /= total;
        }
        return out;
    }

    /**
     * The level t to which values above it must be lowered so that none exceeds {@code share} of the lowered total;
     * +∞ if none needs lowering, NaN if share·K &lt; 1 (no level works: every value must count the same).
     */
    private static double level(double[] v, double share) {
        if (share * v.length < 1) {
            return Double.NaN;
        }
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
        // rest[c] = the sum of all but the c largest, summed from the smallest up: subtracting the largest from the
        // total instead would cancel catastrophically when one value dominates (softmax weights of 1 − 1e-80).
        double[] rest = new double[v.length + 1];
        for (int c = v.length - 1; c >= 0; c--) {
            rest[c] = rest[c + 1] + v[order[c]];
        }
        int lowered = 0;
        double t = Double.POSITIVE_INFINITY;
        // Lower the largest while it exceeds the level the others allow. While the test fails, 1 − (lowered+1)·ρ > 0:
        // were it ≤ 0, the level ρ·rest/(1 − lowered·ρ) would be ≥ rest and the test would have passed.
        while (lowered < v.length && v[order[lowered]] > share * rest[lowered] / (1 - lowered * share)) {
            lowered++;
            t = share * rest[lowered] / (1 - lowered * share);
        }
        return t;
    }
}
