package org.fedgen.core.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Each client joins a round independently with probability q, so the number of clients varies (possibly zero). This is
 * the sampling that the DP accountant's subsampled-Gaussian analysis assumes.
 */
public final class PoissonSampler implements ClientSampler {
    private final double q;

    /** Each client joins a round independently with probability {@code q}. */
    public PoissonSampler(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("Poisson sampling rate q must be in (0, 1], got " + q);
        }
        this.q = q;
    }

    /** The sampling rate q. */
    public double rate() {
        return q;
    }

    @Override
    public List<Integer> sample(List<Integer> clientIds, long round, SplittableRandom random) {
        List<Integer> chosen = new ArrayList<>();
        for (int id : clientIds) {
            if (random.nextDouble() < q) {
                chosen.add(id);
            }
        }
        return chosen;
    }

    @Override
    public double expectedClients(int populationSize) {
        return q * populationSize;
    }

    @Override
    public boolean isPoisson() {
        return true;
    }

    @Override
    public String toString() {
        return "Poisson(q=" + q + ")";
    }
}
