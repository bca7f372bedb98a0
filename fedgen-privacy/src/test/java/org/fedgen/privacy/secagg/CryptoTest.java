package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CryptoTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void x25519MatchesTheRfc7748TestVector() throws Exception {
        byte[] alicePrivate = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPublic = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("label".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(sha.digest(shared), X25519.agree(alicePrivate, bobPublic, "label"));
    }

    @Test
    void bothSidesOfAGeneratedPairAgree() {
        X25519.Keys a = X25519.generate(Federation.seeded(1));
        X25519.Keys b = X25519.generate(Federation.seeded(2));
        assertArrayEquals(X25519.agree(a.privateKey(), b.publicKey(), "x"),
                X25519.agree(b.privateKey(), a.publicKey(), "x"));
    }

    @Test
    void sealedSharesOpenOnlyUnchangedForTheirPairAndRound() {
        byte[] key = new byte[32];
        key[3] = 9;
        byte[] plain = "shares".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = ShareBox.seal(key, 4, 1, 2, plain);
        assertArrayEquals(plain, ShareBox.open(key, 4, 1, 2, sealed));
        assertThrows(IllegalArgumentException.class, () -> ShareBox.open(key, 4, 1, 3, sealed));
        assertThrows(IllegalArgumentException.class, () -> ShareBox.open(key, 5, 1, 2, sealed));
        for (int i = 0; i < sealed.length; i++) {
            byte[] bad = sealed.clone();
            bad[i] ^= 1;
            assertThrows(IllegalArgumentException.class, () -> ShareBox.open(key, 4, 1, 2, bad));
        }
    }

    @Test
    void addingThenSubtractingAMaskRestoresTheVectorAndTheMaskDependsOnTheRound() {
        byte[] seed = new byte[32];
        seed[0] = 1;
        int[] v = {0, 1, 2, (1 << 24) - 1};
        int[] m = v.clone();
        MaskStream.apply(m, seed, 3, 1);
        int[] other = v.clone();
        MaskStream.apply(other, seed, 4, 1);
        MaskStream.apply(m, seed, 3, -1);
        assertArrayEquals(v, m);
        int differing = 0;
        int[] again = v.clone();
        MaskStream.apply(again, seed, 3, 1);
        for (int i = 0; i < v.length; i++) {
            differing += again[i] != other[i] ? 1 : 0;
        }
        assertEquals(4, differing);
    }
}
