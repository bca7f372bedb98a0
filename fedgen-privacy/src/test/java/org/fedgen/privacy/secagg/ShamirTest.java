package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShamirTest {
    private static final List<Integer> POINTS = List.of(1, 2, 3, 4, 5, 6);

    private static List<Map<Integer, BigInteger>> subsets(Map<Integer, BigInteger> shares, int size) {
        List<Integer> xs = new ArrayList<>(shares.keySet());
        List<Map<Integer, BigInteger>> out = new ArrayList<>();
        for (int mask = 0; mask < 1 << xs.size(); mask++) {
            if (Integer.bitCount(mask) == size) {
                Map<Integer, BigInteger> s = new TreeMap<>();
                for (int i = 0; i < xs.size(); i++) {
                    if ((mask & 1 << i) != 0) {
                        s.put(xs.get(i), shares.get(xs.get(i)));
                    }
                }
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void anyTOfNSharesReconstructTheSecretExactlyAndAnyTMinusOneDoNot() {
        BigInteger secret = new BigInteger(256, Federation.seeded(1));
        Map<Integer, BigInteger> shares = Shamir.split(secret, POINTS, 4, Federation.seeded(2));
        for (int size = 4; size <= 6; size++) {
            for (Map<Integer, BigInteger> s : subsets(shares, size)) {
                assertEquals(secret, Shamir.reconstruct(s), "from points " + s.keySet());
            }
        }
        for (Map<Integer, BigInteger> s : subsets(shares, 3)) {
            assertNotEquals(secret, Shamir.reconstruct(s), "from points " + s.keySet());
        }
    }

    @Test
    void tMinusOneSharesAreConsistentWithEverySecret() {
        // With t = 2, one share y1 at x = 1 fits the line through (0, s', ...) for any s': y1 says nothing about s.
        // Concretely: the shares of two different secrets under suitably chosen coefficients coincide at x = 1.
        BigInteger s1 = BigInteger.valueOf(11);
        BigInteger s2 = BigInteger.valueOf(99);
        // f1(x) = 11 + 88x and f2(x) = 99 + 0x agree at x = 1 (both 99).
        Map<Integer, BigInteger> one = Map.of(1, BigInteger.valueOf(99));
        Map<Integer, BigInteger> a = new TreeMap<>(one);
        a.put(2, BigInteger.valueOf(11 + 88 * 2));
        Map<Integer, BigInteger> b = new TreeMap<>(one);
        b.put(2, BigInteger.valueOf(99));
        assertEquals(s1, Shamir.reconstruct(a));
        assertEquals(s2, Shamir.reconstruct(b));
    }

    @Test
    void splitRefusesBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> Shamir.split(BigInteger.ONE, POINTS, 7, Federation.seeded(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Shamir.split(BigInteger.ONE, POINTS, 0, Federation.seeded(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Shamir.split(Shamir.PRIME, POINTS, 2, Federation.seeded(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Shamir.split(BigInteger.ONE, List.of(0, 1), 2, Federation.seeded(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Shamir.split(BigInteger.ONE, List.of(2, 2), 2, Federation.seeded(1)));
    }

    @Test
    void bytesRoundTripAtFixedLength() {
        byte[] key = new byte[32];
        key[0] = 0;
        key[31] = 7;
        BigInteger v = Shamir.fromBytes(key);
        assertEquals(BigInteger.valueOf(7), v);
        assertEquals(32, Shamir.toBytes(v, 32).length);
        assertEquals(7, Shamir.toBytes(v, 32)[31]);
    }
}
