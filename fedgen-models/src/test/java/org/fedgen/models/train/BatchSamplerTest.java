package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {

    /** The documented stream: epoch e's order is a Fisher–Yates shuffle of epoch e − 1's, from one generator. */
    private static int[] referenceEpochs(int n, int epochs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = IntStream.range(0, n).toArray();
        int[] out = new int[n * epochs];
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            System.arraycopy(order, 0, out, e * n, n);
        }
        return out;
    }

    @Test
    void fixedSizeBatchesCutTheEpochStreamIntoEqualPiecesAcrossEpochBoundaries() {
        // n = 10, batch 4: 5 batches hold exactly two epochs, the third batch straddling them
        int[] expected = referenceEpochs(10, 2, 3);
        BatchSampler b = BatchSampler.fixedSize(10, 4, 3);
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(Arrays.copyOfRange(expected, 4 * k, 4 * k + 4), b.next(), "batch " + k);
        }
        int[] firstEpoch = Arrays.copyOfRange(expected, 0, 10);
        Arrays.sort(firstEpoch);
        assertArrayEquals(IntStream.range(0, 10).toArray(), firstEpoch);
    }

    @Test
    void aFixedSizeBatchLargerThanTheDataSpansSeveralEpochs() {
        // 7 indices = two full epochs of 3 and the first index of the third
        int[] big = BatchSampler.fixedSize(3, 7, 1).next();
        assertArrayEquals(Arrays.copyOf(referenceEpochs(3, 3, 1), 7), big);
    }

    @Test
    void epochAlignedBatchesEndAtTheEpochWithAPartialLastBatch() {
        int[] expected = referenceEpochs(10, 2, 1);
        BatchSampler b = BatchSampler.epochAligned(10, 4, 1);
        int[][] want = {{0, 4}, {4, 8}, {8, 10}, {10, 14}, {14, 18}, {18, 20}};
        for (int[] w : want) {
            assertArrayEquals(Arrays.copyOfRange(expected, w[0], w[1]), b.next());
        }
        assertFalse(Arrays.equals(Arrays.copyOf(expected, 10), Arrays.copyOfRange(expected, 10, 20)),
                "epochs are reshuffled");
    }

    @Test
    void everyExampleIsVisitedOncePerEpochAndTheSameSeedGivesTheSameStream() {
        BatchSampler a = BatchSampler.epochAligned(37, 5, 9);
        BatchSampler b = BatchSampler.epochAligned(37, 5, 9);
        int[] seen = new int[37];
        for (int k = 0; k < 8; k++) {
            int[] x = a.next();
            assertArrayEquals(x, b.next());
            for (int i : x) {
                seen[i]++;
            }
        }
        assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), Arrays.toString(seen));
        assertFalse(Arrays.equals(BatchSampler.fixedSize(37, 5, 9).next(), BatchSampler.fixedSize(37, 5, 10).next()));
    }

    @Test
    void badSizesAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchSampler.fixedSize(0, 1, 1));
        assertEquals("need n >= 1 and batchSize >= 1, got n=0, batchSize=1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchSampler.epochAligned(1, 0, 1));
    }
}
