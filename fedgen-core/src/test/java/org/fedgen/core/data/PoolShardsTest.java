package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PoolShardsTest {
    @Test
    void moreClientsThanPoolExamplesEachGetAShardOfTheRequestedSizeInsideThePool() {
        int[][] s = PoolShards.draw(7, 50, 3, 1);
        assertEquals(50, s.length);
        for (int[] shard : s) {
            assertEquals(3, shard.length);
            for (int i : shard) {
                assertTrue(i >= 0 && i < 7, "index " + i);
            }
        }
    }

    @Test
    void sameSeedSameShardsAndAClientsShardDoesNotDependOnTheClientCount() {
        int[][] a = PoolShards.draw(100, 20, 5, 9);
        int[][] b = PoolShards.draw(100, 40, 5, 9);
        for (int c = 0; c < 20; c++) {
            assertArrayEquals(a[c], b[c]);
        }
        assertFalse(Arrays.deepEquals(a, PoolShards.draw(100, 20, 5, 10)));
    }

    @Test
    void drawsAreUniformOverThePool() {
        // 20 000 clients × 5 draws over a pool of 10: each index is expected 10 000 times; the binomial standard
        // deviation is sqrt(100 000 · 0.1 · 0.9) ≈ 95, so 5 sigma is ±475.
        int[] counts = new int[10];
        for (int[] shard : PoolShards.draw(10, 20_000, 5, 3)) {
            for (int i : shard) {
                counts[i]++;
            }
        }
        for (int k = 0; k < 10; k++) {
            assertTrue(Math.abs(counts[k] - 10_000) < 475, "index " + k + " drawn " + counts[k] + " times");
        }
    }

    @Test
    void badCountsAreRejectedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoolShards.draw(0, 1, 1, 0)).getMessage()
                .contains("pool size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoolShards.draw(5, 0, 1, 0)).getMessage()
                .contains("numClients"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PoolShards.draw(5, 1, 0, 0)).getMessage()
                .contains("shard size"));
    }
}
