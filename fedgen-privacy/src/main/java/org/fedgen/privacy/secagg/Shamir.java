package org.fedgen.privacy.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shamir's t-out-of-n secret sharing over the prime field GF(p), p = 2^521 − 1: a secret s becomes the values at
 * x = 1, 2, ... of a random polynomial of degree t − 1 with constant term s; any t values give s back by Lagrange
 * interpolation at 0, and any t − 1 values are uniformly distributed whatever s is.
 */
public final class Shamir {
    /** The field's modulus, the Mersenne prime 2^521 − 1 (larger than any 32-byte secret). */
    public static final BigInteger PRIME = BigInteger.ONE.shiftLeft(521).subtract(BigInteger.ONE);

    private Shamir() {
    }

    /**
     * Splits {@code secret} into one share per point.
     *
     * @param secret    a value in [0, p)
     * @param points    distinct x coordinates in [1, p), one per holder
     * @param threshold t, how many shares reconstruct the secret; 1 ≤ t ≤ number of points
     * @param random    source of the polynomial's coefficients (a {@link SecureRandom} outside tests)
     * @return x → share, in the order of {@code points}
     */
    public static Map<Integer, BigInteger> split(BigInteger secret, Collection<Integer> points, int threshold,
            java.util.Random random) {
        if (secret.signum() < 0 || secret.compareTo(PRIME) >= 0) {
            throw new IllegalArgumentException("secret must be in [0, 2^521 - 1), got a " + secret.bitLength()
                    + "-bit value of sign " + secret.signum());
        }
        if (threshold < 1 || threshold > points.size()) {
            throw new IllegalArgumentException("threshold must be in [1, " + points.size() + "] for "
                    + points.size() + " shares, got " + threshold);
        }
        BigInteger[] coefficients = new BigInteger[threshold];
        coefficients[0] = secret;
        for (int i = 1; i < threshold; i++) {
            coefficients[i] = new BigInteger(PRIME.bitLength() + 64, random).mod(PRIME);
        }
        Map<Integer, BigInteger> shares = new LinkedHashMap<>();
        for (int x : points) {
            if (x < 1) {
                throw new IllegalArgumentException("share points must be >= 1, got " + x);
            }
            BigInteger bx = BigInteger.valueOf(x);
            BigInteger y = BigInteger.ZERO;
            for (int i = threshold - 1; i >= 0; i--) {
                y = y.multiply(bx).add(coefficients[i]).mod(PRIME);
            }
            if (shares.put(x, y) != null) {
                throw new IllegalArgumentException("duplicate share point " + x);
            }
        }
        return shares;
    }

    /**
     * Interpolates the polynomial through the given shares at 0. With at least t shares of one secret this is the
     * secret; with fewer it is a value unrelated to it.
     *
     * @param shares x → share, at least one, distinct x
     */
    public static BigInteger reconstruct(Map<Integer, BigInteger> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("cannot reconstruct from no shares");
        }
        BigInteger secret = BigInteger.ZERO;
        for (Map.Entry<Integer, BigInteger> i : shares.entrySet()) {
            BigInteger xi = BigInteger.valueOf(i.getKey());
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (int xj : shares.keySet()) {
                if (xj != i.getKey()) {
                    BigInteger bxj = BigInteger.valueOf(xj);
                    num = num.multiply(bxj).mod(PRIME);
                    den = den.multiply(bxj.subtract(xi)).mod(PRIME);
                }
            }
            BigInteger lagrange = num.multiply(den.modInverse(PRIME)).mod(PRIME);
            secret = secret.add(i.getValue().mod(PRIME).multiply(lagrange)).mod(PRIME);
        }
        return secret;
    }

    /** A byte string read as an unsigned big-endian integer (how 32-byte keys and seeds are shared). */
    static BigInteger fromBytes(byte[] bytes) {
        return new BigInteger(1, bytes);
    }

    /** The inverse of {@link #fromBytes}: the value as exactly {@code length} big-endian bytes. */
    static byte[] toBytes(BigInteger value, int length) {
        if (value.signum() < 0 || value.bitLength() > 8 * length) {
            throw new IllegalArgumentException("value of " + value.bitLength() + " bits does not fit " + length
                    + " bytes");
        }
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int n = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - n, out, length - n, n);
        return out;
    }
}
