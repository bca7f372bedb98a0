package org.fedgen.core;

import java.util.Map;

/** Evaluates the global state on the server, e.g. the held-out ELBO or sample quality of a generator. */
@FunctionalInterface
public interface GlobalEvaluator {
    /** Metrics of {@code global} after the given round; keys become metric columns. */
    Map<String, Double> evaluate(ModelState global, long round);
}
