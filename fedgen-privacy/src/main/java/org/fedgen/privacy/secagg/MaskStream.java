package org.fedgen.privacy.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudorandom generator that expands a 32-byte seed into a mask over the ring: AES-256 in counter mode keyed by
 * the seed, with the round in the initial counter block, so a seed is never expanded twice under the same counter.
 * Every 4 bytes of key stream (little-endian) give one ring element, reduced to {@link FixedPoint#RING_BITS} bits.
 */
final class MaskStream {
    private static final int CHUNK = 1 << 14;

    private MaskStream() {
    }

    /**
     * Adds (sign = +1) or subtracts (sign = −1) the mask of {@code seed} for {@code round} to {@code ring}, in place,
     * modulo 2^{@link FixedPoint#RING_BITS}.
     */
    static void apply(int[] ring, byte[] seed, long round, int sign) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("mask seeds are 32 bytes, got " + seed.length);
        }
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            byte[] iv = ByteBuffer.allocate(16).putLong(round).putLong(0L).array();
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(iv));
            byte[] zeros = new byte[CHUNK * 4];
            byte[] stream = new byte[CHUNK * 4];
            IntBuffer view = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            int[] mask = new int[CHUNK];
            for (int start = 0; start < ring.length; start += CHUNK) {
                int n = Math.min(CHUNK, ring.length - start);
                aes.update(zeros, 0, n * 4, stream, 0);
                view.get(0, mask, 0, n);
                for (int i = 0; i < n; i++) {
                    ring[start + i] = (ring[start + i] + sign * mask[i]) & FixedPoint.RING_MASK;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available in this JDK", e);
        }
    }
}
