package org.fedgen.privacy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stream of standard normal numbers for DP noise, built on the ChaCha20 keystream (RFC 8439, through the JDK's
 * {@code ChaCha20} cipher) turned into Gaussians by the Box–Muller transform.
 *
 * <p>{@link #secure()} keys the stream with 256 fresh bits from {@link SecureRandom}, so nobody (not even whoever knows
 * the run seed) can predict or subtract the noise: use it for real privacy. {@link #seeded(long)} derives the key from a
 * seed so that tests and reproducible experiments get bit-identical noise; such noise protects nobody who knows the
 * seed. Both go through the same code, so the statistics tests measure the production path. Uniforms use 53 bits of
 * the keystream each, and the transform uses {@link StrictMath} so a seeded stream is identical on every JVM.
 *
 * <p>Known limitation shared with most DP libraries: the float64 → float32 Gaussian is not hardened against
 * floating-point side channels (Mironov 2012); it is adequate for the federated setting, where noise is added to
 * aggregated model deltas rather than released per record.
 *
 * <p>Not thread-safe; one instance per use.
 */
public final class GaussianNoise {
    private static final SecureRandom KEY_SOURCE = new SecureRandom();
    private static final int BUFFER_BYTES = 1 << 16;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private final Cipher cipher;
    private final byte[] zeros = new byte[BUFFER_BYTES];
    private final byte[] keystream = new byte[BUFFER_BYTES];
    private final ByteBuffer words = ByteBuffer.wrap(keystream).order(ByteOrder.LITTLE_ENDIAN);
    private double spare;
    private boolean hasSpare;

    private GaussianNoise(byte[] key) {
        try {
            cipher = Cipher.getInstance("ChaCha20");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
                    new ChaCha20ParameterSpec(new byte[12], 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's ChaCha20 cipher is unavailable", e);
        }
        words.position(words.limit());
    }

    /** Noise keyed from {@link SecureRandom}: unpredictable, not reproducible. */
    public static GaussianNoise secure() {
        byte[] key = new byte[32];
        KEY_SOURCE.nextBytes(key);
        return new GaussianNoise(key);
    }

    /** Noise keyed from {@code seed}: reproducible bit for bit, predictable by anyone who knows the seed. */
    public static GaussianNoise seeded(long seed) {
        ByteBuffer key = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            key.putLong(Seeds.derive(seed, "chacha20-key", i));
        }
        return new GaussianNoise(key.array());
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
        if (words.remaining() < Long.BYTES) {
            refill();
        }
        return words.getLong();
    }

    private void refill() {
        try {
            // ChaCha20 encrypting zeros yields the raw keystream.
            cipher.update(zeros, 0, BUFFER_BYTES, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 keystream failed", e);
        }
        words.clear();
    }
}
