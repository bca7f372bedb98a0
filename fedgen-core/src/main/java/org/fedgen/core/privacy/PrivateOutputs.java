package org.fedgen.core.privacy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The metrics a private run may publish: an allow-list of public names (settings such as the round number) plus the
 * names an aggregator marked as safe this round ({@link org.fedgen.core.RoundContext#safeMetric}: noised and
 * accounted, or public) plus the server evaluator's results (computed from the released model on the server's own
 * data, i.e. post-processing). Everything else a round computes from individual clients (their losses, counts of
 * participants or examples, bytes uploaded, federated evaluation) is withheld, and so are per-client log lines and the
 * round's rejection reasons.
 */
public final class PrivateOutputs {
    private final Set<String> publicNames;

    private PrivateOutputs(Set<String> publicNames) {
        this.publicNames = Set.copyOf(publicNames);
    }

    /** Only {@code round}, plus what aggregators mark safe and the server evaluator's results. */
    public static PrivateOutputs standard() {
        return new PrivateOutputs(Set.of("round"));
    }

    /** {@link #standard()} plus these names, which the caller vouches are public. */
    public static PrivateOutputs allowing(Set<String> extraPublicNames) {
        Set<String> names = new java.util.HashSet<>(extraPublicNames);
        names.add("round");
        return new PrivateOutputs(names);
    }

    /** The names published whatever aggregators mark. */
    public Set<String> publicNames() {
        return publicNames;
    }

    /**
     * The publishable subset of a round's metrics, in their order.
     *
     * @param metrics   everything the round computed
     * @param safeNames names aggregators and the server evaluator produced that may be published
     */
    public Map<String, Double> filter(Map<String, Double> metrics, Set<String> safeNames) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (publicNames.contains(k) || safeNames.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "PrivateOutputs" + publicNames;
    }
}
