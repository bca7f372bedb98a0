package org.fedgen.models.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FixedSizeBatchesTest {
    @Test
    void everyEpochIsAPermutationAndBatchesKeepTheirSizeAcrossEpochs() {
        // n = 10, batch 4: 5 batches hold exactly two epochs, the third batch straddling them.
        FixedSizeBatches b = new FixedSizeBatches(10, 4, 3);
        int[] all = new int[20];
        for (int k = 0; k < 5; k++) {
            int[] batch = b.next();
            assertEquals(4, batch.length);
            System.arraycopy(batch, 0, all, 4 * k, 4);
        }
        int[] first = Arrays.copyOfRange(all, 0, 10);
        int[] second = Arrays.copyOfRange(all, 10, 20);
        Arrays.sort(first);
        Arrays.sort(second);
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(ids, first);
        assertArrayEquals(ids, second);
    }

    @Test
    void sameSeedSameStreamAndABatchLargerThanTheDataSpansEpochs() {
        assertArrayEquals(new FixedSizeBatches(7, 3, 1).next(), new FixedSizeBatches(7, 3, 1).next());
        int[] big = new FixedSizeBatches(3, 7, 1).next();
        assertEquals(7, big.length);
        int[] firstEpoch = Arrays.copyOfRange(big, 0, 3);
        Arrays.sort(firstEpoch);
        assertArrayEquals(new int[] {0, 1, 2}, firstEpoch);
        assertThrows(IllegalArgumentException.class, () -> new FixedSizeBatches(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FixedSizeBatches(1, 0, 1));
    }
}
