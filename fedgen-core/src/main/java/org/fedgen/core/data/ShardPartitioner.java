package org.fedgen.core.data;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.fedgen.core.util.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pathological non-IID split of McMahan et al. (2017): the examples are sorted by label and cut into
 * {@code numClients · k} shards, and each client receives k shards chosen at random, so it sees at most k labels.
 *
 * <p>Unlike a cut of the sorted list into equal pieces, shards never straddle two labels (which would give a client up
 * to 2k labels): each label gets a number of shards roughly proportional to its count (at least one; the next shard
 * always goes to the label whose shards are currently largest), and its examples, in index order, are split into
 * pieces whose sizes differ by at most one.
 */
public final class ShardPartitioner implements Partitioner {
    private static final Logger LOG = LoggerFactory.getLogger(ShardPartitioner.class);

    private final int labelsPerClient;

    /**
     * @param labelsPerClient k, the number of shards (hence at most the number of labels) per client, at least 1
     * @throws IllegalArgumentException if k is below 1
     */
    public ShardPartitioner(int labelsPerClient) {
        if (labelsPerClient < 1) {
            throw new IllegalArgumentException("labelsPerClient must be >= 1, got " + labelsPerClient);
        }
        this.labelsPerClient = labelsPerClient;
    }

    /** How many labels each client gets. */
    public int labelsPerClient() {
        return labelsPerClient;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if {@code numClients > labels.length}, if there are fewer examples than
     *                                  shards ({@code numClients · k}) or fewer shards than distinct labels
     */
    @Override
    public Partition partition(int[] labels, int numClients, long seed) {
        Partition.checkLabels(labels);
        Shuffle.checkNumClients(numClients);
        int n = labels.length;
        if (numClients > n) {
            throw new IllegalArgumentException("numClients " + numClients + " exceeds the " + n + " examples");
        }
        long numShardsLong = (long) numClients * labelsPerClient;
        if (numShardsLong > n) {
            throw new IllegalArgumentException(numClients + " clients x " + labelsPerClient + " labels per client = "
                    + numShardsLong + " shards, more than the " + n + " examples");
        }
        int numShards = (int) numShardsLong;
        int[][] byClass = DirichletPartitioner.indicesByClass(labels);
        int[] shardsPerClass = allocateShards(byClass, numShards);

        int[][] shards = new int[numShards][];
        int s = 0;
        for (int c = 0; c < byClass.length; c++) {
            int[] members = byClass[c];
            int pieces = shardsPerClass[c];
            for (int p = 0; p < pieces; p++) {
                int from = (int) ((long) members.length * p / pieces);
                int to = (int) ((long) members.length * (p + 1) / pieces);
                shards[s++] = java.util.Arrays.copyOfRange(members, from, to);
            }
        }
        int[] order = Shuffle.permutation(numShards, new SplittableRandom(Seeds.derive(seed, "partition.shards")));
        int[][] clients = new int[numClients][];
        for (int c = 0; c < numClients; c++) {
            int size = 0;
            for (int j = 0; j < labelsPerClient; j++) {
                size += shards[order[c * labelsPerClient + j]].length;
            }
            int[] idx = new int[size];
            int fill = 0;
            for (int j = 0; j < labelsPerClient; j++) {
                int[] shard = shards[order[c * labelsPerClient + j]];
                System.arraycopy(shard, 0, idx, fill, shard.length);
                fill += shard.length;
            }
            clients[c] = idx;
        }
        Partition part = Partition.of(clients, labels);
        part.warnIfEmpty(LOG, toString());
        return part;
    }

    /** Shards per label: one per present label, the rest one at a time to the label with the largest shards. */
    private static int[] allocateShards(int[][] byClass, int numShards) {
        int[] count = new int[byClass.length];
        PriorityQueue<Integer> largestShards = new PriorityQueue<>((a, b) -> {
            // Compare shard sizes n_a / s_a and n_b / s_b without rounding; ties go to the smaller label.
            long lhs = (long) byClass[b].length * count[a];
            long rhs = (long) byClass[a].length * count[b];
            return lhs != rhs ? Long.compare(lhs, rhs) : Integer.compare(a, b);
        });
        int present = 0;
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c].length > 0) {
                count[c] = 1;
                present++;
            }
        }
        if (present > numShards) {
            throw new IllegalArgumentException(numShards + " shards cannot hold " + present
                    + " distinct labels without mixing labels in a shard; use more clients or labelsPerClient");
        }
        for (int c = 0; c < byClass.length; c++) {
            if (count[c] > 0) {
                largestShards.add(c);
            }
        }
        for (int left = numShards - present; left > 0; left--) {
            int c = largestShards.poll();
            count[c]++;
            largestShards.add(c);
        }
        return count;
    }

    @Override
    public String toString() {
        return "ShardPartitioner(labelsPerClient=" + labelsPerClient + ")";
    }
}
