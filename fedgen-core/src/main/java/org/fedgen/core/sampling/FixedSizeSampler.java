package org.fedgen.core.sampling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** A fixed number of clients per round, drawn uniformly without replacement. */
public final class FixedSizeSampler implements ClientSampler {
    private final int count;
    private final double fraction;

    private FixedSizeSampler(int count, double fraction) {
        this.count = count;
        this.fraction = fraction;
    }

    /** Exactly {@code count} clients per round (all of them if fewer exist). */
    public static FixedSizeSampler count(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("clients per round must be >= 1, got " + count);
        }
        return new FixedSizeSampler(count, Double.NaN);
    }

    /** max(1, round(fraction·W)) clients per round. */
    public static FixedSizeSampler fraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("client fraction must be in (0, 1], got " + fraction);
        }
        return new FixedSizeSampler(0, fraction);
    }

    /** Every client, every round. */
    public static FixedSizeSampler all() {
        return fraction(1.0);
    }

    private int size(int population) {
        int k = Double.isNaN(fraction) ? count : (int) Math.max(1, Math.round(fraction * population));
        return Math.min(k, population);
    }

    @Override
    public List<Integer> sample(List<Integer> clientIds, long round, SplittableRandom random) {
        int k = size(clientIds.size());
        List<Integer> ids = new ArrayList<>(clientIds);
        // Partial Fisher-Yates: the first k positions become a uniform sample without replacement.
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(ids.size() - i);
            Collections.swap(ids, i, j);
        }
        List<Integer> chosen = new ArrayList<>(ids.subList(0, k));
        Collections.sort(chosen);
        return chosen;
    }

    @Override
    public double expectedClients(int populationSize) {
        return size(populationSize);
    }

    @Override
    public String toString() {
        return Double.isNaN(fraction) ? "FixedSize(" + count + ")" : "FixedSize(fraction=" + fraction + ")";
    }
}
