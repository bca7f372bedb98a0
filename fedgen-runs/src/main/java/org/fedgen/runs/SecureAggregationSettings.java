package org.fedgen.runs;

import java.util.List;
import org.fedgen.core.data.Dataset;
import org.fedgen.privacy.secagg.SecAggConfig;

/**
 * Secure-aggregation settings of a run (Bonawitz et al. 2017): the server sees only the sum of the clients' clipped,
 * quantised deltas. Values left null are resolved against the run's clients by {@link #config}.
 *
 * @param threshold  shares needed to reconstruct a client's secrets and the fewest survivors a round can finish with;
 *                   null = a majority of each round's share holders
 * @param bits       quantisation bits per coordinate
 * @param range      each coordinate of a weighted delta is clamped to [−range, range] before quantising
 * @param neighbours 0: every pair of clients masks; an even k: SecAgg+ random k-regular graph
 * @param clip       L2 norm each client clips its weighted delta to before quantising; 0 = none
 * @param weightCap  client k counts min(n_k, N)/N; 0 = uniform weights; null = the largest client's training examples
 *                   (FedAvg's n_k/n)
 */
public record SecureAggregationSettings(Integer threshold, int bits, double range, int neighbours, double clip,
        Long weightCap) {

    /** The defaults: majority threshold, {@link SecAggConfig#DEFAULT_BITS} bits, range 1, all pairs, no clip. */
    public static SecureAggregationSettings defaults() {
        return new SecureAggregationSettings(null, SecAggConfig.DEFAULT_BITS, SecAggConfig.DEFAULT_RANGE, 0, 0, null);
    }

    /**
     * The protocol parameters for a run over these clients' training shards.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    public SecAggConfig config(List<Dataset> shards, int clientsPerRound) {
        // Unset: a majority of each round's share holders, so sampled rounds of any size can finish.
        int t = threshold != null ? threshold : 0;
        if (clientsPerRound > 0 && t > clientsPerRound) {
            throw new IllegalArgumentException("--secagg-threshold " + t + " exceeds --clients-per-round "
                    + clientsPerRound + ": every round would fail");
        }
        long cap = weightCap != null ? weightCap : shards.stream().mapToLong(Dataset::size).max().orElse(1);
        try {
            return new SecAggConfig(t, bits, range, neighbours, clip, cap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--secure-aggregation: " + e.getMessage(), e);
        }
    }
}
