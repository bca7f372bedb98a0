package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FixedPointTest {
    private final FixedPoint codec = new FixedPoint(16, 1.0);

    @Test
    void codesAreRoundedClampedAndReducedModuloTwoToThe32() {
        // s = 32767: 0.5·s = 16383.5 rounds up to 16384, −16383.5 up to −16383, out-of-range values clamp to ±32767.
        // Negative codes are the ring elements 2^32 − |q|, i.e. the int −|q|.
        assertEquals(32767.0, codec.scale());
        assertEquals(16384, codec.encode(0.5));
        assertEquals((1L << 32) - 16383, Integer.toUnsignedLong(codec.encode(-0.5)));
        assertEquals(32767, codec.encode(2.0));
        assertEquals((1L << 32) - 32767, Integer.toUnsignedLong(codec.encode(-7.0)));
        assertEquals(0, codec.encode(0.0));
    }

    @Test
    void ringArithmeticIsExactModuloTwoToThe32() {
        // Masks of any size cancel exactly: (q + m) − m = q for m anywhere in the ring, through the wrap-around.
        int[] ring = {codec.encode(-1.0), codec.encode(0.25), 0, codec.encode(1.0)};
        int[] before = ring.clone();
        byte[] seed = new byte[32];
        seed[0] = 9;
        MaskStream.apply(ring, seed, 3, 1);
        assertTrue(ring[0] != before[0] || ring[1] != before[1], "the mask changed nothing");
        MaskStream.apply(ring, seed, 3, -1);
        assertArrayEquals(before, ring);
        // 2^31 − 1 + 1 wraps to −2^31: the ring's element 2^31, which decodes as the most negative sum.
        assertEquals(-(double) (1L << 31) / codec.scale(), codec.decode(Integer.MAX_VALUE + 1));
    }

    @Test
    void rawBitsCarryEveryRingElementThroughAFloat32Vector() {
        // NaN and infinity patterns included: 0x7fc00000 (NaN), 0x7f800001 (signalling NaN), 0xff800000 (−Inf).
        int[] ring = {0x7fc00000, 0x7f800001, 0xff800000, 0xffffffff, 0x80000000, 0, 1, -1, 0x7fffffff};
        assertArrayEquals(ring, RingPayload.read(RingPayload.write(ring, 0, ring.length)));
        assertArrayEquals(new int[] {0xff800000, 0xffffffff}, RingPayload.read(RingPayload.write(ring, 2, 2)));
    }

    @Test
    void sumsDecodeAsSignedIntegersOverTheScale() {
        int sum = codec.encode(0.5) + codec.encode(-0.5);
        assertEquals(1 / 32767.0, codec.decode(sum));
        assertEquals(-32767 * 3 / 32767.0, codec.decode(3 * codec.encode(-1.0)));
        assertEquals(256 * 32767 / 32767.0, codec.decode(256 * codec.encode(1.0)));
    }

    @Test
    void capacityAndErrorBoundFollowFromTheBits() {
        // (2^31 − 1) / (2^15 − 1) = 65538.00006...; (2^31 − 1) / (2^23 − 1) = 256.00003...
        assertEquals(65538, codec.maxSummands());
        assertEquals(5 / 65534.0, codec.sumErrorBound(5));
        assertEquals(256, new FixedPoint(24, 1.0).maxSummands());
        assertEquals(2, new FixedPoint(31, 1.0).maxSummands());
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(32, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(16, 0.0));
    }
}
