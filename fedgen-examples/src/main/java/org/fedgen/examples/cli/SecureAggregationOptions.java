package org.fedgen.examples.cli;

import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.runs.SecureAggregationSettings;
import picocli.CommandLine.Option;

/**
 * Secure-aggregation options of {@code fedgen train} ({@code --secure-aggregation}, {@code --secagg-*}): the server
 * sees only the sum of the clients' clipped, quantised deltas.
 */
public final class SecureAggregationOptions {
    @Option(names = "--secure-aggregation", description = {"Secure aggregation (Bonawitz et al. 2017): clients mask "
            + "their quantised deltas with pairwise and self masks and the server learns only their sum; clients "
            + "that drop after the key exchange are recovered from Shamir shares."})
    public boolean enabled;

    @Option(names = "--secagg-threshold", paramLabel = "t", description = "Shares needed to reconstruct a client's "
            + "secrets, and the fewest survivors a round can finish with (default: a majority of each round's share holders).")
    public Integer threshold;

    @Option(names = "--secagg-bits", paramLabel = "b", description = "Quantisation bits per coordinate, rounded to "
            + "nearest, in [2, 31]; codes live in the ring Z_2^32 (default: ${DEFAULT-VALUE}).")
    public int bits = SecAggConfig.DEFAULT_BITS;

    @Option(names = "--secagg-range", paramLabel = "R", description = "Each coordinate of a client's weighted delta is "
            + "clamped to [-R, R] before quantising (default: ${DEFAULT-VALUE}).")
    public double range = SecAggConfig.DEFAULT_RANGE;

    @Option(names = "--secagg-neighbours", paramLabel = "k", description = "0: every pair of clients masks (default);"
            + " an even k: SecAgg+ random k-regular graph, each client's secrets shared among k neighbours and itself.")
    public int neighbours = 0;

    @Option(names = "--secagg-clip", paramLabel = "S", description = "L2 norm each client clips its weighted delta to "
            + "before quantising; 0 for none (default: ${DEFAULT-VALUE}).")
    public double clip = 0;

    @Option(names = "--secagg-weight-cap", paramLabel = "N", description = {"Client k counts min(n_k, N)/N in the "
            + "mean; 0 for uniform weights. Default: the largest client's training examples, which gives FedAvg's "
            + "n_k/n."})
    public Long weightCap;

    /** The settings these options give, or null without {@code --secure-aggregation}. */
    SecureAggregationSettings toSettings() {
        return enabled ? new SecureAggregationSettings(threshold, bits, range, neighbours, clip, weightCap) : null;
    }
}
