package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class HeldOutSplitTest {
    private static Dataset numbered(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return new Dataset(Nd4j.create(x, new long[] {n, 1}, DataType.FLOAT), IntStream.range(0, n).toArray(),
                new int[] {1});
    }

    @Test
    void holdsOutTheFloorShareAndPartitionsTheExamples() {
        HeldOutSplit.Parts p = HeldOutSplit.split(numbered(25), 10, 5);
        assertEquals(23, p.kept().size());
        assertEquals(2, p.heldOut().size());
        int[] all = IntStream.concat(Arrays.stream(p.kept().labels()), Arrays.stream(p.heldOut().labels()))
                .sorted().toArray();
        assertArrayEquals(IntStream.range(0, 25).toArray(), all);
        // features stay with their labels
        assertEquals(p.heldOut().label(1), p.heldOut().features().getFloat(1, 0), 0f);
    }

    @Test
    void sameSeedSameSplitAndSmallSetsKeepEverything() {
        assertArrayEquals(HeldOutSplit.split(numbered(30), 8, 1).heldOut().labels(),
                HeldOutSplit.split(numbered(30), 8, 1).heldOut().labels());
        assertEquals(0, HeldOutSplit.split(numbered(9), 10, 1).heldOut().size());
        assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.split(numbered(9), 1, 1));
    }
}
