package org.fedgen.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.fedgen.core.ModelState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** 64-bit values stored as 16-bit float pieces: a hand-computed layout, exact round trips, malformed input refused. */
class ExactStateTest {
    @Test
    void aLongBecomesItsFourSixteenBitPiecesMostSignificantFirst() {
        // 0x0123_4567_89AB_CDEF -> 0x0123 = 291, 0x4567 = 17767, 0x89AB = 35243, 0xCDEF = 52719
        assertArrayEquals(new float[] {291, 17767, 35243, 52719},
                ExactState.ofLongs(0x0123456789ABCDEFL).toFloatVector());
        // 1.0 has the bits 0x3FF0_0000_0000_0000 -> 0x3FF0 = 16368
        assertArrayEquals(new float[] {16368, 0, 0, 0}, ExactState.ofDoubles(1.0).toFloatVector());
        assertArrayEquals(new float[] {65535, 65535, 65535, 65535}, ExactState.ofLongs(-1L).toFloatVector());
    }

    @Test
    void everyDoubleComesBackWithItsExactBitsAndTheStoredPiecesAreFinite() {
        double[] values = {0.1, -0.0, Math.PI * 1e300, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NaN,
            Math.nextUp(1.0)};
        var stored = ExactState.ofDoubles(values);
        double[] back = ExactState.toDoubles("x", stored);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back[i]), "value " + i);
        }
        new Checkpoint(1, ModelState.of(1, Map.of("w", Nd4j.ones(DataType.FLOAT, 2))), Map.of("x", stored))
                .requireFinite();
        assertArrayEquals(new long[] {Long.MIN_VALUE, 0, 42, Long.MAX_VALUE},
                ExactState.toLongs("n", ExactState.ofLongs(Long.MIN_VALUE, 0, 42, Long.MAX_VALUE)));
        assertEquals(7, ExactState.toLong("n", ExactState.ofLongs(7)));
        assertEquals(0.25, ExactState.toDouble("c", ExactState.ofDoubles(0.25)));
    }

    @Test
    void somethingThatIsNotWholePiecesIsRefusedNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExactState.toLongs("clip", Nd4j.createFromArray(1f, 2f, 65536f, 0f)));
        assertEquals("state 'clip' holds 65536.0 at index 2, not a 16-bit piece", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExactState.toLongs("a", Nd4j.createFromArray(1f, 2f,
                0.5f, 0f)));
        assertThrows(IllegalArgumentException.class, () -> ExactState.toLongs("a", Nd4j.createFromArray(1f, 2f,
                -1f, 0f)));
        e = assertThrows(IllegalArgumentException.class, () -> ExactState.toLongs("a", Nd4j.createFromArray(1f, 2f,
                3f)));
        assertEquals("state 'a' must be a FLOAT vector of 4 pieces per value, got FLOAT of length 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExactState.toLongs("a", Nd4j.createFromArray(1.0, 2.0,
                3.0, 4.0)));
        assertThrows(IllegalArgumentException.class, () -> ExactState.toLong("a", ExactState.ofLongs(1, 2)));
    }
}
