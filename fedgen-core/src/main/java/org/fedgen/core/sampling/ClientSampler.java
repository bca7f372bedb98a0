package org.fedgen.core.sampling;

import java.util.List;
import java.util.SplittableRandom;

/** Chooses which clients train in a round. */
public interface ClientSampler {
    /**
     * @param clientIds all client ids, ascending
     * @param round     the round (1-based)
     * @param random    this round's random stream (seeded by the server)
     * @return the chosen ids, ascending
     */
    List<Integer> sample(List<Integer> clientIds, long round, SplittableRandom random);

    /** The expected number of clients per round for a population of the given size (qW). */
    double expectedClients(int populationSize);

    /** Whether each client joins independently with a fixed probability (what the DP accountant assumes). */
    default boolean isPoisson() {
        return false;
    }

    /**
     * Whether the choice is unpredictable to anyone who knows the run seed (drawn from a secure source rather than
     * from {@code random}); what privacy amplification by subsampling needs.
     */
    default boolean isSecure() {
        return false;
    }
}
