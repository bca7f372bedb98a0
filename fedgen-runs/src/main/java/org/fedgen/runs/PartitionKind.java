package org.fedgen.runs;

/** Ways to split the bundled digits over clients (the names are the CLI's). */
public enum PartitionKind {
    /** Label proportions per client from Dirichlet(α). */
    dirichlet,
    /** Uniformly at random. */
    iid,
    /** Each client holds shards of a few labels. */
    shards,
    /** Each client draws {@code shardSize} digits from the whole pool with replacement (shards overlap). */
    pool
}
