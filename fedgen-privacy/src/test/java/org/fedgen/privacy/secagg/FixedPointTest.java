package org.fedgen.privacy.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FixedPointTest {
    private final FixedPoint codec = new FixedPoint(16, 1.0);

    @Test
    void codesAreRoundedClampedAndReducedModuloTwoToThe24() {
        // s = 32767: 0.5·s = 16383.5 rounds up to 16384, −16383.5 up to −16383, out-of-range values clamp to ±32767.
        assertEquals(32767.0, codec.scale());
        assertEquals(16384, codec.encode(0.5));
        assertEquals((1 << 24) - 16383, codec.encode(-0.5));
        assertEquals(32767, codec.encode(2.0));
        assertEquals((1 << 24) - 32767, codec.encode(-7.0));
        assertEquals(0, codec.encode(0.0));
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
        // (2^23 − 1) / (2^15 − 1) = 256.0039...
        assertEquals(256, codec.maxSummands());
        assertEquals(5 / 65534.0, codec.sumErrorBound(5));
        assertEquals(2, new FixedPoint(23, 1.0).maxSummands());
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(24, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(16, 0.0));
    }
}
