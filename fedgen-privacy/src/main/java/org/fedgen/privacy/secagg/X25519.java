package org.fedgen.privacy.secagg;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * X25519 Diffie–Hellman (RFC 7748) through the JDK's {@code XDH} provider, with keys as raw 32-byte strings so they
 * can travel in messages and be secret-shared: the private key is the scalar, the public key the little-endian
 * u-coordinate. An agreed secret is hashed with SHA-256 and a purpose label into a 32-byte symmetric key.
 */
final class X25519 {
    static final int KEY_BYTES = 32;

    /** A private scalar and its public u-coordinate, both 32 bytes. */
    record Keys(byte[] privateKey, byte[] publicKey) {
        Keys {
            privateKey = privateKey.clone();
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] privateKey() {
            return privateKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }
    }

    private X25519() {
    }

    static Keys generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(NamedParameterSpec.X25519, random);
            KeyPair kp = g.generateKeyPair();
            byte[] scalar = ((XECPrivateKey) kp.getPrivate()).getScalar()
                    .orElseThrow(() -> new IllegalStateException("X25519 provider does not expose the scalar"));
            return new Keys(scalar, encodeU(((XECPublicKey) kp.getPublic()).getU()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /**
     * SHA-256(label ‖ X25519(privateKey, publicKey)): the same 32 bytes on both sides of a pair.
     *
     * @throws IllegalArgumentException if a key is not 32 bytes or the peer's key is degenerate
     */
    static byte[] agree(byte[] privateKey, byte[] publicKey, String label) {
        if (privateKey.length != KEY_BYTES || publicKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 keys are 32 bytes, got " + privateKey.length + " and "
                    + publicKey.length);
        }
        try {
            KeyFactory f = KeyFactory.getInstance("XDH");
            PrivateKey priv = f.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            PublicKey pub = f.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(publicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] shared = ka.generateSecret();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] key = sha.digest(shared);
            Arrays.fill(shared, (byte) 0);
            return key;
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("X25519 key agreement refused the peer's public key: " + e.getMessage(),
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    private static byte[] encodeU(BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] le = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    private static BigInteger decodeU(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }
}
