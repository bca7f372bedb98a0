package org.fedgen.privacy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.fedgen.core.util.Seeds;

/**
 * Random bits from the AES-256 keystream in counter mode (NIST SP 800-38A, the JDK's {@code AES/CTR/NoPadding}, counter
 * starting at 0 under a fresh key): the output function of NIST SP 800-90A's CTR_DRBG, without its key update between
 * requests (the key stays in memory for the generator's lifetime). Keyed with 256 bits from {@link SecureRandom} it is
 * a cryptographically secure generator; keyed from a seed it is reproducible bit for bit on every JVM (AES is exact
 * integer arithmetic). HotSpot compiles the JDK's counter mode to AES-NI / VAES instructions, which makes this far
 * faster per draw than {@code SecureRandom} or the JDK 17 ChaCha20 cipher (pure Java). As a {@link Random} it offers
 * exact bounded integers ({@link #nextLong(long)}). Not thread-safe.
 */
final class KeystreamRandom extends Random {
    private static final SecureRandom KEY_SOURCE = new SecureRandom();
    // HotSpot's AES-CTR intrinsic replaces a normally compiled call of the JDK's counter mode; with 64 KiB per call
    // the loop inside got only an on-stack-replacement compile, 30x slower (measured, JDK 17). 4 KiB calls get it.
    static final int BUFFER_BYTES = 1 << 12;
    private static final long serialVersionUID = 1L;

    private final transient Cipher cipher;
    private final byte[] zeros = new byte[BUFFER_BYTES];
    private final byte[] keystream = new byte[BUFFER_BYTES];
    // the keystream read as little-endian words in place: a draw is one plain load
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private int next = BUFFER_BYTES;

    /** Keyed with the given 32 bytes (tests compare the stream with AES itself). */
    KeystreamRandom(byte[] key) {
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's AES/CTR cipher is unavailable", e);
        }
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
            key.putLong(Seeds.derive(seed, "aes-ctr-key", i));
        }
        return new KeystreamRandom(key.array());
    }

    @Override
    public long nextLong() {
        if (next == BUFFER_BYTES) {
            refill();
        }
        long w = (long) WORDS.get(keystream, next);
        next += Long.BYTES;
        return w;
    }

    /**
     * The current keystream block for a bulk reader, refilled first if every word of it was read: the unread words
     * start at {@link #position()}; the reader reads them with {@link #word} and hands back where it stopped with
     * {@link #seek}. {@link #nextLong()} reads the same words in the same order.
     */
    byte[] block() {
        if (next == BUFFER_BYTES) {
            refill();
        }
        return keystream;
    }

    /** The byte offset of the next unread word in {@link #block()}. */
    int position() {
        return next;
    }

    /** Marks the words of the block before byte offset {@code position} as read. */
    void seek(int position) {
        next = position;
    }

    /** The little-endian word at byte offset {@code offset} of a block. */
    static long word(byte[] block, int offset) {
        return (long) WORDS.get(block, offset);
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
            // Encrypting zeros in counter mode yields the raw keystream.
            cipher.update(zeros, 0, BUFFER_BYTES, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR keystream failed", e);
        }
        next = 0;
    }
}
