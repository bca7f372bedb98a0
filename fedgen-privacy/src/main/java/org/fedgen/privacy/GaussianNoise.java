package org.fedgen.privacy;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stream of standard normal numbers for DP noise: the AES-256-CTR keystream of {@link KeystreamRandom} (a
 * CTR_DRBG-style generator, NIST SP 800-90A) turned into Gaussians by a 256-layer ziggurat ({@link NormalZiggurat}).
 *
 * <p>{@link #secure()} keys the stream with 256 fresh bits from {@link java.security.SecureRandom}, so nobody (not
 * even whoever knows the run seed) can predict or subtract the noise: use it for real privacy. {@link #seeded(long)}
 * derives the key from a seed so that tests and reproducible experiments get bit-identical noise; such noise protects
 * nobody who knows the seed. Both go through the same code, so the statistics tests measure the production path. The
 * sampler uses only {@link StrictMath} and IEEE arithmetic, so a seeded stream is identical on every JVM.
 *
 * <p>Known limitation shared with most DP libraries: the float64 → float32 Gaussian is not hardened against
 * floating-point side channels (Mironov 2012; Jin et al. 2022); {@link DiscreteGaussian} with {@link GridQuantizer}
 * is the mode that is.
 *
 * <p>Not thread-safe; one instance per use.
 */
public final class GaussianNoise {
    // floats copied out of a native buffer, noised and copied back per chunk: the sampler's loop then works on a heap
    // array (16 KiB: L1-resident next to the 4 KiB keystream block)
    private static final int CHUNK = 1 << 12;
    private final KeystreamRandom bits;
    private float[] scratch;

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
        return NormalZiggurat.sample(bits);
    }

    /** Fills {@code out} with independent N(0, std²) values. */
    public void fill(float[] out, double std) {
        checkStd(std);
        NormalZiggurat.fillScaled(bits, out, 0, out.length, std);
    }

    /**
     * Adds independent N(0, std²) noise to every element of a float32 array, in place: the i-th element in row-major
     * order becomes {@code x + (float) (std · z_i)} in float32 arithmetic, the same bits whether the array is a
     * contiguous c-ordered buffer (copied through a heap chunk, noised there block by block from the keystream) or any
     * other layout (through a full copy).
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
        if (contiguous(target)) {
            FloatBuffer buffer = target.data().asNioFloat();
            int offset = (int) target.offset();
            if (scratch == null) {
                scratch = new float[CHUNK];
            }
            for (int start = offset, end = offset + (int) n; start < end; start += CHUNK) {
                int len = Math.min(CHUNK, end - start);
                buffer.get(start, scratch, 0, len);
                NormalZiggurat.addScaled(bits, scratch, 0, len, std);
                buffer.put(start, scratch, 0, len);
            }
            return;
        }
        float[] noise = new float[(int) n];
        fill(noise, std);
        target.addi(Nd4j.createFromArray(noise).reshape('c', target.shape()));
    }

    /** Whether the array's elements in c order are one run of its buffer. */
    private static boolean contiguous(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && a.offset() + a.length() <= a.data().length()
                && a.offset() <= Integer.MAX_VALUE - a.length();
    }

    private static void checkStd(double std) {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("noise std must be finite and >= 0, got " + std);
        }
    }
}
