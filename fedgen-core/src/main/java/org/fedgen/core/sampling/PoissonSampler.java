package org.fedgen.core.sampling;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Each client joins a round independently with probability q, so the number of clients varies (possibly zero). This is
 * the sampling that the DP accountant's subsampled-Gaussian analysis assumes.
 *
 * <p>The amplification by subsampling holds only if nobody can tell who was sampled, so {@link #PoissonSampler(double)}
 * draws from {@link SecureRandom} and ignores the server's seeded stream. {@link #seeded(double)} draws from the
 * server's stream (reproducible, but anyone who knows the run seed knows every round's participants).
 */
public final class PoissonSampler implements ClientSampler {
    private static final SecureRandom SECURE = new SecureRandom();

    private final double q;
    private final boolean secure;

    /** Secure Poisson sampling at rate q in (0, 1]. */
    public PoissonSampler(double q) {
        this(q, true);
    }

    private PoissonSampler(double q, boolean secure) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("Poisson sampling rate q must be in (0, 1], got " + q);
        }
        this.q = q;
        this.secure = secure;
    }

    /** Poisson sampling from the server's seeded stream: reproducible, predictable by whoever knows the seed. */
    public static PoissonSampler seeded(double q) {
        return new PoissonSampler(q, false);
    }

    /** The sampling rate q. */
    public double rate() {
        return q;
    }

    @Override
    public List<Integer> sample(List<Integer> clientIds, long round, SplittableRandom random) {
        List<Integer> chosen = new ArrayList<>();
        for (int id : clientIds) {
            double u = secure ? SECURE.nextDouble() : random.nextDouble();
            if (u < q) {
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
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String toString() {
        return "Poisson(q=" + q + (secure ? ", secure" : ", seeded") + ")";
    }
}
