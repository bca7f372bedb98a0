package org.fedgen.privacy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.fedgen.core.util.Seeds;

/**
 * Random bits from the ChaCha20 keystream (RFC 8439, the JDK's cipher): keyed from {@link SecureRandom} it is a
 * cryptographically secure generator, far faster per draw than {@code SecureRandom} itself; keyed from a seed it is
 * reproducible. As a {@link Random} it offers exact bounded integers ({@link #nextLong(long)}). Not thread-safe.
 */
final class KeystreamRandom extends Random {
    private static final SecureRandom KEY_SOURCE = new SecureRandom();
    private static final int BUFFER_BYTES = 1 << 16;
    private static final long serialVersionUID = 1L;

    private final transient Cipher cipher;
    private final byte[] zeros = new byte[BUFFER_BYTES];
    private final byte[] keystream = new byte[BUFFER_BYTES];
    private final transient ByteBuffer words = ByteBuffer.wrap(keystream).order(ByteOrder.LITTLE_ENDIAN);

    private KeystreamRandom(byte[] key) {
        try {
            cipher = Cipher.getInstance("ChaCha20");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
                    new ChaCha20ParameterSpec(new byte[12], 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's ChaCha20 cipher is unavailable", e);
        }
        words.position(words.limit());
    }

    /** Keyed with 256 fresh bits from {@link SecureRandom}. */
    static KeystreamRandom secure() {
        byte[] key = new byte[32];
        KEY_SOURCE.nextBytes(key);
        return new KeystreamRandom(key);
    }

    /** Keyed from {@code seed}: reproducible, predictable by whoever knows the seed. */
    static KeystreamRandom seeded(long seed) {
        ByteBuffer key = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            key.putLong(Seeds.derive(seed, "chacha20-key", i));
        }
        return new KeystreamRandom(key.array());
    }

    @Override
    public long nextLong() {
        if (words.remaining() < Long.BYTES) {
            refill();
        }
        return words.getLong();
    }

    @Override
    protected int next(int bits) {
        return (int) (nextLong() >>> (64 - bits));
    }

    @Override
    public synchronized void setSeed(long seed) {
        // Random's constructor calls this before the cipher exists; the keystream has no other seed.
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
