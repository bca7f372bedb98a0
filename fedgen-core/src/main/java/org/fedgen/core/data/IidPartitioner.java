package org.fedgen.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedgen.core.util.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IID split: the examples are shuffled with the seed and dealt into contiguous blocks whose sizes differ by at
 * most one (the first {@code n mod numClients} clients get one more). Labels are ignored except for their count. With
 * more clients than examples the last clients are empty.
 */
public final class IidPartitioner implements Partitioner {
    private static final Logger LOG = LoggerFactory.getLogger(IidPartitioner.class);

    @Override
    public Partition partition(int[] labels, int numClients, long seed) {
        Partition.checkLabels(labels);
        Shuffle.checkNumClients(numClients);
        int n = labels.length;
        int[] order = Shuffle.permutation(n, new SplittableRandom(Seeds.derive(seed, "partition.iid")));
        int[][] clients = new int[numClients][];
        int base = n / numClients;
        int extra = n % numClients;
        int start = 0;
        for (int c = 0; c < numClients; c++) {
            int size = base + (c < extra ? 1 : 0);
            clients[c] = Arrays.copyOfRange(order, start, start + size);
            start += size;
        }
        Partition p = Partition.of(clients, labels);
        p.warnIfEmpty(LOG, toString());
        return p;
    }

    @Override
    public String toString() {
        return "IidPartitioner";
    }
}
