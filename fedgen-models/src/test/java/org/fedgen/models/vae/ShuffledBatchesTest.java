package org.fedgen.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffledBatchesTest {

    @Test
    void eachEpochVisitsEveryExampleOnceWithAPartialLastBatch() {
        ShuffledBatches b = new ShuffledBatches(10, 4, 1);
        int[] firstEpoch = null;
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] a = b.next();
            int[] c = b.next();
            int[] d = b.next();
            assertEquals(4, a.length);
            assertEquals(4, c.length);
            assertEquals(2, d.length);
            int[] all = IntStream.concat(IntStream.concat(Arrays.stream(a), Arrays.stream(c)), Arrays.stream(d))
                    .toArray();
            int[] sorted = all.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IntStream.range(0, 10).toArray(), sorted);
            if (firstEpoch == null) {
                firstEpoch = all;
            } else {
                assertFalse(Arrays.equals(firstEpoch, all), "epochs are reshuffled");
            }
        }
        assertEquals(3, ShuffledBatches.batchesPerEpoch(10, 4));
        assertArrayEquals(new ShuffledBatches(10, 4, 1).next(), new ShuffledBatches(10, 4, 1).next());
    }
}
