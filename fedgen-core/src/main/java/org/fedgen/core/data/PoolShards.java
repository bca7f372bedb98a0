package org.fedgen.core.data;

import java.util.SplittableRandom;
import org.fedgen.core.util.Seeds;

/**
 * Client shards drawn from a shared pool with replacement: client c gets {@code shardSize} indices drawn uniformly
 * and independently from {@code 0 .. poolSize - 1}, from a generator seeded by the seed and c. Shards overlap (and an
 * index may repeat inside one), so this is not a {@link Partition}: it lets a simulation have more clients than the pool
 * has examples, each still with a seeded, reproducible shard.
 */
public final class PoolShards {
    private PoolShards() {
    }

    /**
     * @return one index array per client, each of length {@code shardSize}
     * @throws IllegalArgumentException naming the bad value if a count is not positive
     */
    public static int[][] draw(int poolSize, int numClients, int shardSize, long seed) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, got " + poolSize);
        }
        Shuffle.checkNumClients(numClients);
        if (shardSize < 1) {
            throw new IllegalArgumentException("shard size must be >= 1, got " + shardSize);
        }
        int[][] out = new int[numClients][shardSize];
        for (int c = 0; c < numClients; c++) {
            SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "pool", c));
            for (int i = 0; i < shardSize; i++) {
                out[c][i] = r.nextInt(poolSize);
            }
        }
        return out;
    }
}
