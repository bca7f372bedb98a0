package org.fedgen.privacy;

import java.math.BigInteger;
import java.util.Random;

/**
 * Exact samples of the discrete Gaussian N_Z(0, σ²), P(x) ∝ exp(−x²/(2σ²)) on the integers, for an integer variance
 * σ² (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential Privacy", Algorithm 3): discrete Laplace
 * proposals of scale t = ⌊σ⌋ + 1 (Algorithm 2) accepted with probability exp(−(|Y| − σ²/t)²/(2σ²)), every
 * probability an exact rational and every Bernoulli(exp(−γ)) drawn by the series method (Algorithm 1). No floating
 * point is involved, so the output carries none of the low-bit leaks of a rounded float Gaussian.
 *
 * <p>Randomness comes from an AES-256-CTR keystream ({@link KeystreamRandom}) keyed by
 * {@link java.security.SecureRandom} ({@link #secure}), or by a seed for tests ({@link #seeded}). Not thread-safe.
 */
public final class DiscreteGaussian {
    private final Random random;

    private DiscreteGaussian(Random random) {
        this.random = random;
    }

    /** A sampler keyed from SecureRandom. */
    public static DiscreteGaussian secure() {
        return new DiscreteGaussian(KeystreamRandom.secure());
    }

    /** A reproducible sampler; protects nobody who knows the seed. */
    public static DiscreteGaussian seeded(long seed) {
        return new DiscreteGaussian(KeystreamRandom.seeded(seed));
    }

    /**
     * One sample of N_Z(0, σ²).
     *
     * @param variance σ² ≥ 1, an integer
     */
    public long sample(long variance) {
        if (variance < 1) {
            throw new IllegalArgumentException("discrete Gaussian variance must be an integer >= 1, got " + variance);
        }
        long t = floorSqrt(variance) + 1;
        BigInteger s2 = BigInteger.valueOf(variance);
        BigInteger bt = BigInteger.valueOf(t);
        // Accept Y with probability exp(-(|Y| - s2/t)^2 / (2 s2)) = exp(-(|Y| t - s2)^2 / (2 s2 t^2)).
        BigInteger den = s2.shiftLeft(1).multiply(bt).multiply(bt);
        while (true) {
            long y = discreteLaplace(t);
            BigInteger diff = BigInteger.valueOf(Math.abs(y)).multiply(bt).subtract(s2);
            if (bernoulliExp(diff.multiply(diff), den)) {
                return y;
            }
        }
    }

    /** Fills {@code out} with independent samples of N_Z(0, σ²). */
    public void fill(long[] out, long variance) {
        for (int i = 0; i < out.length; i++) {
            out[i] = sample(variance);
        }
    }

    /** Discrete Laplace with scale t: P(y) ∝ exp(−|y|/t) (CKS20 Algorithm 2). */
    long discreteLaplace(long t) {
        while (true) {
            long u = random.nextLong(t);
            if (!bernoulliExp(BigInteger.valueOf(u), BigInteger.valueOf(t))) {
                continue;
            }
            long v = 0;
            while (bernoulliExpMinusOne()) {
                v++;
            }
            boolean negative = random.nextBoolean();
            if (negative && u == 0 && v == 0) {
                continue;
            }
            long magnitude = Math.addExact(u, Math.multiplyExact(t, v));
            return negative ? -magnitude : magnitude;
        }
    }

    /** Bernoulli(exp(−num/den)) for num ≥ 0, den > 0, exactly (CKS20 Algorithm 1). */
    boolean bernoulliExp(BigInteger num, BigInteger den) {
        if (num.compareTo(den) <= 0) {
            return bernoulliExpAtMostOne(num, den);
        }
        BigInteger[] qr = num.divideAndRemainder(den);
        for (BigInteger k = BigInteger.ZERO; k.compareTo(qr[0]) < 0; k = k.add(BigInteger.ONE)) {
            if (!bernoulliExpMinusOne()) {
                return false;
            }
        }
        return bernoulliExpAtMostOne(qr[1], den);
    }

    /** Bernoulli(exp(−γ)) for γ = num/den in [0, 1]: K = first k with Bernoulli(γ/k) = 0; true iff K is odd. */
    private boolean bernoulliExpAtMostOne(BigInteger num, BigInteger den) {
        long k = 1;
        while (bernoulli(num, den.multiply(BigInteger.valueOf(k)))) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(exp(−1)): the series method with γ = 1, where Bernoulli(1/k) needs no big numbers. */
    private boolean bernoulliExpMinusOne() {
        long k = 1;
        while (random.nextLong(k) == 0) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(num/den) for 0 ≤ num ≤ den: a uniform integer in [0, den) below num. */
    private boolean bernoulli(BigInteger num, BigInteger den) {
        if (den.bitLength() < 63) {
            return random.nextLong(den.longValue()) < num.longValue();
        }
        BigInteger u;
        do {
            u = new BigInteger(den.bitLength(), random);
        } while (u.compareTo(den) >= 0);
        return u.compareTo(num) < 0;
    }

    /** ⌊√n⌋ for n ≥ 0, exactly. */
    static long floorSqrt(long n) {
        long r = (long) Math.sqrt((double) n);
        // Compare by division so that squares near Long.MAX_VALUE cannot overflow.
        while (r > 0 && r > n / r) {
            r--;
        }
        while (r + 1 <= n / (r + 1)) {
            r++;
        }
        return r;
    }
}
