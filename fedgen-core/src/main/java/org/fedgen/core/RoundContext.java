package org.fedgen.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Facts about the round being aggregated, and the sinks an {@link Aggregator} writes to: metrics for the round's record
 * and per-client decisions that shape the clients' next instructions.
 */
public final class RoundContext {
    private final long round;
    private final long seed;
    private final int populationSize;
    private final double expectedClientsPerRound;
    private final List<Integer> sampledClients;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<Integer, Set<String>> resumeDecisions = new TreeMap<>();
    private final Set<String> safeMetricNames = new LinkedHashSet<>();

    /**
     * @param round                   the round being aggregated (1-based)
     * @param seed                    seed for the aggregator's random choices this round
     * @param populationSize          W, the number of clients that exist
     * @param expectedClientsPerRound qW, the expected number of clients per round under the sampler
     * @param sampledClients          ids of the clients asked to train this round, ascending
     */
    public RoundContext(long round, long seed, int populationSize, double expectedClientsPerRound,
            List<Integer> sampledClients) {
        this.round = round;
        this.seed = seed;
        this.populationSize = populationSize;
        this.expectedClientsPerRound = expectedClientsPerRound;
        this.sampledClients = List.copyOf(sampledClients);
    }

    /** The round being aggregated (1-based). */
    public long round() {
        return round;
    }

    /** Seed for this round's aggregation randomness (e.g. DP noise); derived from the run seed and the round. */
    public long seed() {
        return seed;
    }

    /** W, the number of clients in the population. */
    public int populationSize() {
        return populationSize;
    }

    /** qW, the expected number of sampled clients per round. */
    public double expectedClientsPerRound() {
        return expectedClientsPerRound;
    }

    /** Ids of the clients sampled this round, ascending (including ones whose updates were rejected). */
    public List<Integer> sampledClients() {
        return sampledClients;
    }

    /** Records a metric for this round (e.g. the MMD weights' entropy, the clip norm); last write wins. */
    public void metric(String name, double value) {
        metrics.put(name, value);
        safeMetricNames.remove(name);
    }

    /**
     * Records a metric that a private run may publish: a public setting (the clip norm S, the noise std zS/(qW)), a
     * noised and accounted statistic, or the privacy spent. See {@link org.fedgen.core.privacy.PrivateOutputs}.
     */
    public void safeMetric(String name, double value) {
        metrics.put(name, value);
        safeMetricNames.add(name);
    }

    /** The names recorded with {@link #safeMetric}; unmodifiable view. */
    public Set<String> safeMetricNames() {
        return Collections.unmodifiableSet(safeMetricNames);
    }

    /** Metrics recorded by aggregators this round; unmodifiable view. */
    public Map<String, Double> metrics() {
        return Collections.unmodifiableMap(metrics);
    }

    /**
     * Tells the server that the client should start its next training from its own stored copy of these parts rather
     * than from the global state (the MMD aggregator's "keep your generator" decision). Calling it with an empty set
     * makes the client adopt the global state for every part again.
     */
    public void resumeFromLocal(int clientId, Set<String> parts) {
        resumeDecisions.put(clientId, Collections.unmodifiableSet(new LinkedHashSet<>(parts)));
    }

    /** Decisions recorded with {@link #resumeFromLocal}, by client id. */
    public Map<Integer, Set<String>> resumeDecisions() {
        return Collections.unmodifiableMap(resumeDecisions);
    }
}
