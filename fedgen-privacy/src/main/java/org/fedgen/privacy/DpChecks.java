package org.fedgen.privacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.aggregate.AggregatorDecorator;
import org.fedgen.core.aggregate.InspectsIndividualUpdates;
import org.fedgen.core.sampling.ClientSampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses configurations under which a differentially private run's guarantee would not hold. The guarantee covers
 * what DP-FedAvg releases: the clipped, noised average of the deltas of the parts it protects. It therefore fails if
 * <ul>
 *   <li>clients send a part that no {@link DpFedAvg} protects (local-only and server-trained parts are never sent);</li>
 *   <li>a rule that looks at individual updates ({@link InspectsIndividualUpdates}: MMD weights, Krum, median,
 *       filters) sits anywhere in the chain of decorators of a sent part, wrapped around DP-FedAvg or feeding it;</li>
 *   <li>clients are weighted by sample count (already refused when a {@link DpFedAvg} is built).</li>
 * </ul>
 * Decorators whose input is only the noisy average (a server optimizer) are post-processing and pass. Chains are
 * followed through {@link AggregatorDecorator#inner()}; a wrapper that does not implement it is opaque to this check.
 */
public final class DpChecks {
    private static final Logger LOG = LoggerFactory.getLogger(DpChecks.class);

    private DpChecks() {
    }

    /**
     * Checks a part policy against the parts of the model it will aggregate.
     *
     * @throws IllegalArgumentException naming every offending part and aggregator
     */
    public static void requireCompatible(PartPolicy policy, ModelState global) {
        requireCompatible(policy.routes(), policy.defaultAggregator(), policy.localOnly(), policy.serverTrained(),
                global.partNames());
    }

    /**
     * Checks the server's whole aggregator: decorators on top of a part policy (secure aggregation, say) apply to
     * every part the policy routes, so they are checked with each part's chain; without a policy, {@code top}
     * receives every part.
     *
     * @throws IllegalArgumentException naming every offending part and aggregator
     */
    public static void requireCompatible(Aggregator top, ModelState global) {
        List<Aggregator> above = new ArrayList<>();
        for (Aggregator a : chain(top)) {
            if (a instanceof PartPolicy p) {
                requireCompatible(sentParts(p.routes(), p.defaultAggregator(), p.localOnly(), p.serverTrained(),
                        global.partNames()), above);
                return;
            }
            above.add(a);
        }
        requireCompatible(top, global.partNames());
    }

    /**
     * Checks that clients are sampled the way the accountant assumes: each independently with probability q
     * ({@link ClientSampler#isPoisson()}). A fixed number of clients per round is refused unless
     * {@code allowFixedSize} is set, in which case the run is accounted as if it were Poisson-sampled with q = k/W, an
     * approximation (sampling without replacement is not covered by the Poisson analysis) that is logged as a warning.
     *
     * @throws IllegalArgumentException for a non-Poisson sampler without {@code allowFixedSize}
     */
    public static void requirePoissonSampling(ClientSampler sampler, boolean allowFixedSize) {
        if (sampler.isPoisson()) {
            return;
        }
        if (!allowFixedSize) {
            throw new IllegalArgumentException("a DP run must sample clients with the Poisson sampler (each client"
                    + " joins with probability q), which the privacy accountant assumes; got " + sampler
                    + ". Use Poisson sampling, or accept the approximation explicitly (CLI:"
                    + " --dp-allow-fixed-size-sampling)");
        }
        LOG.warn("DP run with fixed-size sampling {}: epsilon is computed as if clients were Poisson-sampled with"
                + " q = k/W; this is an approximation, not a proven bound", sampler);
    }

    /**
     * Checks a part policy given by its parts: {@code routes} (part → aggregator), the aggregator for parts without a
     * route ({@code defaultAggregator}, may be null), the parts that never leave the clients and those only the
     * server trains, over all the model's {@code parts}. Shaped after {@code org.fedgen.core.PartPolicy}; call it as
     * {@code requireCompatible(p.routes(), p.defaultAggregator(), p.localOnly(), p.serverTrained(), global.partNames())}.
     *
     * @throws IllegalArgumentException naming every offending part and aggregator
     */
    public static void requireCompatible(Map<String, Aggregator> routes, Aggregator defaultAggregator,
            Set<String> localOnly, Set<String> serverTrained, Collection<String> parts) {
        requireCompatible(sentParts(routes, defaultAggregator, localOnly, serverTrained, parts));
    }

    /** Each part clients send → the aggregator the policy routes it to. */
    private static Map<String, Aggregator> sentParts(Map<String, Aggregator> routes, Aggregator defaultAggregator,
            Set<String> localOnly, Set<String> serverTrained, Collection<String> parts) {
        Map<String, Aggregator> sent = new LinkedHashMap<>();
        for (String p : parts) {
            if (localOnly.contains(p) || serverTrained.contains(p)) {
                continue;
            }
            Aggregator a = routes.getOrDefault(p, defaultAggregator);
            if (a == null) {
                throw new IllegalArgumentException("part '" + p + "' has no aggregator in the policy");
            }
            sent.put(p, a);
        }
        return sent;
    }

    /** Checks a run where one aggregator receives every part in {@code sentParts}. */
    public static void requireCompatible(Aggregator aggregator, Collection<String> sentParts) {
        Map<String, Aggregator> sent = new LinkedHashMap<>();
        for (String p : sentParts) {
            sent.put(p, aggregator);
        }
        requireCompatible(sent);
    }

    /**
     * Checks that every part clients send (the map's keys) is aggregated by a chain that contains a {@link DpFedAvg}
     * and no {@link InspectsIndividualUpdates} rule.
     *
     * @throws IllegalArgumentException naming every offending part and aggregator; also if nothing is sent
     */
    public static void requireCompatible(Map<String, Aggregator> sentPartAggregators) {
        requireCompatible(sentPartAggregators, List.of());
    }

    /** As {@link #requireCompatible(Map)}, each part's chain preceded by the decorators {@code above} its policy. */
    private static void requireCompatible(Map<String, Aggregator> sentPartAggregators, List<Aggregator> above) {
        if (sentPartAggregators.isEmpty()) {
            throw new IllegalArgumentException("a DP run needs at least one part that clients send and DP-FedAvg"
                    + " protects; none is sent");
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Aggregator> e : sentPartAggregators.entrySet()) {
            List<Aggregator> chain = new ArrayList<>(above);
            chain.addAll(chain(e.getValue()));
            boolean protectedByDp = false;
            for (Aggregator a : chain) {
                if (a instanceof DpFedAvg dp) {
                    protectedByDp = true;
                    if (dp.weighting() == ClientWeighting.SAMPLE_COUNT) {
                        problems.add("part '" + e.getKey() + "': DP-FedAvg weights by sample count");
                    }
                }
                if (a instanceof InspectsIndividualUpdates) {
                    problems.add("part '" + e.getKey() + "': " + a.getClass().getSimpleName()
                            + " looks at individual client updates, which the DP accounting does not cover");
                }
            }
            if (!protectedByDp) {
                problems.add("part '" + e.getKey() + "' is sent by clients but aggregated by "
                        + e.getValue().getClass().getSimpleName() + " without DP-FedAvg; protect it, or make it"
                        + " local-only or server-trained");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("configuration breaks the differential-privacy guarantee: "
                    + String.join("; ", problems));
        }
    }

    /**
     * Every {@link DpFedAvg} reachable from {@code top}: through a {@link PartPolicy}'s aggregators and through
     * {@link AggregatorDecorator} chains, each once, in first-found order.
     */
    public static List<DpFedAvg> dpAggregators(Aggregator top) {
        List<Aggregator> roots = top instanceof PartPolicy p ? p.aggregators() : List.of(top);
        Set<Aggregator> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<DpFedAvg> found = new ArrayList<>();
        for (Aggregator r : roots) {
            for (Aggregator a : chain(r)) {
                if (a instanceof DpFedAvg dp && seen.add(dp)) {
                    found.add(dp);
                }
            }
        }
        return found;
    }

    /** The aggregator and everything it wraps, outermost first. */
    static List<Aggregator> chain(Aggregator top) {
        List<Aggregator> chain = new ArrayList<>();
        Set<Aggregator> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Aggregator a = top;
        while (a != null && seen.add(a)) {
            chain.add(a);
            a = a instanceof AggregatorDecorator d ? d.inner() : null;
        }
        return chain;
    }
}
