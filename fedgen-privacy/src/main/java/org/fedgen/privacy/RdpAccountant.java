package org.fedgen.privacy;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the privacy spent by a DP-FedAvg run with Rényi DP: each round is a Poisson-subsampled Gaussian mechanism with
 * sampling rate q and noise multiplier z (see {@link SampledGaussianRdp}); rounds compose by adding their RDP at every
 * order, so q and z may change between rounds. The total converts to (ε, δ)-DP at the best order of the grid.
 *
 * <p>Two conversions are available. {@link Conversion#CLASSIC} (Mironov 2017, Prop. 3): ε = RDP(α) + log(1/δ)/(α−1).
 * {@link Conversion#TIGHT} (Balle et al. 2020, "Hypothesis testing interpretations and Rényi DP", Thm. 21; also Canonne,
 * Kamath, Steinke 2020): ε = RDP(α) + log((α−1)/α) − (log δ + log α)/(α−1), never larger than the classic one; it is the
 * default. Both report ε = 0 when δ ≥ sqrt(1 − exp(−RDP(α))) at some order (the total-variation bound through
 * KL ≤ RDP(α)), and a negative bound as 0, which (ε, δ)-DP with a smaller ε implies.
 *
 * <p>Not thread-safe; one accountant per run. The accumulated vector ({@link #totalRdp()}, {@link #rounds()}) is what a
 * checkpoint must hold ({@link #restore}).
 */
public final class RdpAccountant {
    private static final Logger LOG = LoggerFactory.getLogger(RdpAccountant.class);

    /** How RDP converts to (ε, δ)-DP. */
    public enum Conversion {
        /** ε = RDP(α) + log(1/δ)/(α−1). */
        CLASSIC,
        /** ε = RDP(α) + log((α−1)/α) − (log δ + log α)/(α−1). */
        TIGHT
    }

    /**
     * An (ε, δ) guarantee and the Rényi order that attained it.
     *
     * @param epsilon    ε; +∞ if no order gives a finite bound
     * @param delta      δ
     * @param order      the minimising order; NaN when ε is infinite
     * @param conversion the conversion used
     */
    public record PrivacySpent(double epsilon, double delta, double order, Conversion conversion) {
    }

    private final double[] orders;
    private final double[] total;
    private final int population;
    private long rounds;
    private double cachedQ = Double.NaN;
    private double cachedZ = Double.NaN;
    private double[] cachedRound;
    private boolean warnedDelta;

    /** An accountant on the {@link #defaultOrders() default order grid} for a population of unknown size. */
    public RdpAccountant() {
        this(defaultOrders(), 0);
    }

    /**
     * @param orders     Rényi orders, each > 1 (may include +∞)
     * @param population W, used to warn when δ ≥ 1/W; 0 if unknown
     * @throws IllegalArgumentException for an empty grid, an order ≤ 1 or a negative population
     */
    public RdpAccountant(double[] orders, int population) {
        if (orders.length == 0) {
            throw new IllegalArgumentException("the order grid is empty");
        }
        for (double a : orders) {
            SampledGaussianRdp.checkOrder(a);
        }
        if (population < 0) {
            throw new IllegalArgumentException("population must be >= 0 (0 = unknown), got " + population);
        }
        this.orders = orders.clone();
        this.total = new double[orders.length];
        this.population = population;
    }

    /**
     * The default grid: 1.1 to 10.9 in steps of 0.1 (plus 1.25 and 1.75), every integer from 11 to 64, then 128, 256, 512
     * and 1024. Small q·T and large z favour small orders; few rounds with little noise favour large ones.
     */
    public static double[] defaultOrders() {
        double[] o = new double[99 + 2 + 54 + 4];
        int k = 0;
        for (int x = 1; x < 100; x++) {
            o[k++] = 1 + x / 10.0;
        }
        o[k++] = 1.25;
        o[k++] = 1.75;
        for (int a = 11; a <= 64; a++) {
            o[k++] = a;
        }
        for (double a : new double[] {128, 256, 512, 1024}) {
            o[k++] = a;
        }
        Arrays.sort(o);
        return o;
    }

    /** Adds one round with sampling rate q and noise multiplier z. */
    public RdpAccountant step(double q, double z) {
        return steps(q, z, 1);
    }

    /**
     * Adds {@code n} rounds with sampling rate q and noise multiplier z.
     *
     * @throws IllegalArgumentException for q outside [0, 1], z negative or NaN, or n negative
     */
    public RdpAccountant steps(double q, double z, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("number of rounds must be >= 0, got " + n);
        }
        double[] r = roundRdp(q, z);
        for (int i = 0; i < total.length; i++) {
            total[i] += n * r[i];
        }
        rounds += n;
        return this;
    }

    /** RDP of one round at every order; the last (q, z) is cached because runs rarely change them. */
    private double[] roundRdp(double q, double z) {
        SampledGaussianRdp.checkArguments(q, z);
        if (q != cachedQ || z != cachedZ) {
            cachedRound = SampledGaussianRdp.rdp(q, z, orders);
            cachedQ = q;
            cachedZ = z;
        }
        return cachedRound;
    }

    /** W as given at construction; 0 if unknown. */
    public int population() {
        return population;
    }

    /** Rounds accounted so far. */
    public long rounds() {
        return rounds;
    }

    /** The order grid (a copy). */
    public double[] orders() {
        return orders.clone();
    }

    /** The accumulated RDP at each order (a copy). */
    public double[] totalRdp() {
        return total.clone();
    }

    /**
     * Restores the accumulated RDP from a checkpoint.
     *
     * @throws IllegalArgumentException if the vector does not match the order grid or has negative/NaN entries
     */
    public void restore(double[] totalRdp, long accountedRounds) {
        if (totalRdp.length != total.length) {
            throw new IllegalArgumentException("RDP vector has " + totalRdp.length + " entries but the grid has "
                    + total.length + " orders");
        }
        for (double r : totalRdp) {
            if (!(r >= 0)) {
                throw new IllegalArgumentException("RDP values must be >= 0, got " + r);
            }
        }
        if (accountedRounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, got " + accountedRounds);
        }
        System.arraycopy(totalRdp, 0, total, 0, total.length);
        rounds = accountedRounds;
    }

    /** ε spent so far at δ with the {@link Conversion#TIGHT tight} conversion. */
    public PrivacySpent epsilon(double delta) {
        return epsilon(delta, Conversion.TIGHT);
    }

    /** ε spent so far at δ with the given conversion; warns once if δ ≥ 1/population. */
    public PrivacySpent epsilon(double delta, Conversion conversion) {
        checkDelta(delta);
        return epsilon(orders, total, delta, conversion);
    }

    /**
     * The number of further rounds with (q, z) after which ε at δ is still ≤ {@code targetEpsilon}: a run that stops
     * after that many more rounds never exceeds its budget. {@link Long#MAX_VALUE} if the budget is never reached
     * (e.g. q = 0); 0 if even one more round would exceed it.
     */
    public long roundsWithin(double targetEpsilon, double delta, double q, double z) {
        return roundsWithin(targetEpsilon, delta, q, z, Conversion.TIGHT);
    }

    /** As {@link #roundsWithin(double, double, double, double)}, with ε computed by the given conversion. */
    public long roundsWithin(double targetEpsilon, double delta, double q, double z, Conversion conversion) {
        if (!(targetEpsilon >= 0)) {
            throw new IllegalArgumentException("target epsilon must be >= 0, got " + targetEpsilon);
        }
        checkDelta(delta);
        double[] r = roundRdp(q, z);
        if (epsilonAfter(r, 1, delta, conversion) > targetEpsilon) {
            return 0;
        }
        long lo = 1;
        long hi = 2;
        while (epsilonAfter(r, hi, delta, conversion) <= targetEpsilon) {
            lo = hi;
            if (hi > (1L << 50)) {
                return Long.MAX_VALUE;
            }
            hi *= 2;
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (epsilonAfter(r, mid, delta, conversion) <= targetEpsilon) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private double epsilonAfter(double[] roundRdp, long n, double delta, Conversion conversion) {
        double[] t = new double[total.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = total[i] + n * roundRdp[i];
        }
        return epsilon(orders, t, delta, conversion).epsilon();
    }

    private void checkDelta(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        if (population > 0 && delta >= 1.0 / population && !warnedDelta) {
            warnedDelta = true;
            LOG.warn("delta = {} is not below 1/population = 1/{}: a mechanism that publishes one client's data"
                    + " outright would meet this delta; choose delta well below {}", delta, population,
                    1.0 / population);
        }
    }

    /**
     * Converts an RDP curve to the smallest ε at δ over the given orders.
     *
     * @throws IllegalArgumentException if the arrays differ in length, δ is outside (0, 1) or an order is ≤ 1
     */
    public static PrivacySpent epsilon(double[] orders, double[] rdp, double delta, Conversion conversion) {
        if (orders.length != rdp.length) {
            throw new IllegalArgumentException("orders (" + orders.length + ") and RDP values (" + rdp.length
                    + ") differ in length");
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = Double.NaN;
        double logDelta = Math.log(delta);
        for (int i = 0; i < orders.length; i++) {
            double a = orders[i];
            SampledGaussianRdp.checkOrder(a);
            double e;
            if (delta * delta + Math.expm1(-rdp[i]) >= 0) {
                // KL ≤ RDP(α), and total variation ≤ sqrt(1 − exp(−KL)) (Bretagnolle–Huber): already (0, δ)-DP.
                e = 0;
            } else if (Double.isInfinite(a)) {
                e = rdp[i];
            } else if (conversion == Conversion.CLASSIC) {
                e = rdp[i] - logDelta / (a - 1);
            } else {
                e = rdp[i] + Math.log1p(-1 / a) - (logDelta + Math.log(a)) / (a - 1);
            }
            if (e < best) {
                best = e;
                bestOrder = a;
            }
        }
        return new PrivacySpent(Math.max(0, best), delta, bestOrder, conversion);
    }
}
