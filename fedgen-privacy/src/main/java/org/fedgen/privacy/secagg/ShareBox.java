package org.fedgen.privacy.secagg;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of the shares one client sends another through the server (AES-256-GCM under the key the
 * pair agreed by X25519 on their encryption keys). The nonce is (round, sender) and the associated data (round,
 * sender, recipient), so the server can neither read a share nor pass it off as another pair's or round's.
 */
final class ShareBox {
    private static final int TAG_BITS = 128;

    private ShareBox() {
    }

    static byte[] seal(byte[] key, long round, int from, int to, byte[] plaintext) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, key, round, from, to).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK", e);
        }
    }

    /**
     * @throws IllegalArgumentException if the ciphertext was not sealed by {@code from} for {@code to} in this round
     *                                  under this key, or was altered
     */
    static byte[] open(byte[] key, long round, int from, int to, byte[] ciphertext) {
        try {
            return cipher(Cipher.DECRYPT_MODE, key, round, from, to).doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("share from client " + from + " to client " + to + " for round "
                    + round + " fails authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, long round, int from, int to) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = ByteBuffer.allocate(12).putLong(round).putInt(from).array();
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(ByteBuffer.allocate(16).putLong(round).putInt(from).putInt(to).array());
        return c;
    }
}
