package org.fedgen.core.data;

/**
 * Splits a labelled dataset's example indices among federated clients. Implementations are deterministic in the seed
 * and assign every example to exactly one client.
 */
public interface Partitioner {
    /**
     * Partitions the examples {@code 0 .. labels.length - 1} among {@code numClients} clients.
     *
     * @param labels     one non-negative class label per example (pass zeros for unlabelled data to an IID split)
     * @param numClients number of clients, at least 1
     * @param seed       the seed every random choice flows from; the same seed gives the same partition
     * @return the partition; clients may be empty (see {@link Partition#emptyClients()})
     * @throws IllegalArgumentException naming the bad value if an argument is invalid
     */
    Partition partition(int[] labels, int numClients, long seed);
}
