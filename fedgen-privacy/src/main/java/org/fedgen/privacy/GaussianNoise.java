package org.fedgen.privacy;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stream of standard normal numbers for DP noise, built on the ChaCha20 keystream (RFC 8439, through the JDK's
 * {@code ChaCha20} cipher) turned into Gaussians by the Box–Muller transform.
 *
 * <p>{@link #secure()} keys the stream with 256 fresh bits from {@link java.security.SecureRandom}, so nobody (not
 * even whoever knows the run seed) can predict or subtract the noise: use it for real privacy. {@link #seeded(long)}
 * derives the key from a seed so that tests and reproducible experiments get bit-identical noise; such noise protects nobody who knows the
 * seed. Both go through the same code, so the statistics tests measure the production path. Uniforms use 53 bits of
 * the keystream each, and the transform uses {@link StrictMath} so a seeded stream is identical on every JVM.
 *
 * <p>Known limitation shared with most DP libraries: the float64 → float32 Gaussian is not hardened against
 * floating-point side channels (Mironov 2012; Jin et al. 2022); {@link DiscreteGaussian} with {@link GridQuantizer}
 * is the mode that is.
 *
 * <p>Not thread-safe; one instance per use.
 */
public final class GaussianNoise {
    private static final double TWO_PI = 2 * Math.PI;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private final KeystreamRandom bits;
    private double spare;
    private boolean hasSpare;

    private GaussianNoise(KeystreamRandom bits) {
        this.bits = bits;
    }

    /** Noise keyed from {@link java.security.SecureRandom}: unpredictable, not reproducible. */
    public static GaussianNoise secure() {
        return new GaussianNoise(KeystreamRandom.secure());
    }

    /** Noise keyed from {@code seed}: reproducible bit for bit, predictable by anyone who knows the seed. */
    public static GaussianNoise seeded(long seed) {
        return new GaussianNoise(KeystreamRandom.seeded(seed));
    }

    /** The next standard normal number. */
    public double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        // (0, 1]: the log never sees 0.
        double u1 = ((nextLong() >>> 11) + 1) * TWO_POW_MINUS_53;
        double u2 = (nextLong() >>> 11) * TWO_POW_MINUS_53;
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        double theta = TWO_PI * u2;
        spare = r * StrictMath.sin(theta);
        hasSpare = true;
        return r * StrictMath.cos(theta);
    }

    /** Fills {@code out} with independent N(0, std²) values. */
    public void fill(float[] out, double std) {
        checkStd(std);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (std * next());
        }
    }

    /**
     * Adds independent N(0, std²) noise to every element of a float32 vector, in place.
     *
     * @throws IllegalArgumentException if std is negative or not finite, or the array is not float32
     */
    public void addTo(INDArray target, double std) {
        checkStd(std);
        if (target.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("noise target must be FLOAT, got " + target.dataType());
        }
        if (std == 0) {
            return;
        }
        long n = target.length();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("vector too long for one noise call: " + n);
        }
        float[] noise = new float[(int) n];
        fill(noise, std);
        target.addi(Nd4j.createFromArray(noise).reshape(target.shape()));
    }

    private static void checkStd(double std) {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("noise std must be finite and >= 0, got " + std);
        }
    }

    private long nextLong() {
        return bits.nextLong();
    }
}
