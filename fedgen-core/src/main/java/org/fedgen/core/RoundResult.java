package org.fedgen.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one round produced: the new global state, the round's metrics (in insertion order, ready for a CSV row) and
 * why each rejected update was rejected.
 *
 * <p>Standard metric keys: {@code round}, {@code sampled}, {@code accepted}, {@code rejected}, {@code failed},
 * {@code timed_out}, {@code examples}, {@code bytes_down}, {@code bytes_up}, {@code wall_ms}; client metrics as
 * sample-weighted means prefixed {@code client_}; aggregator metrics as recorded; federated evaluation as
 * {@code fed_<name>} (weighted mean), {@code fed_<name>_min} and {@code fed_<name>_max}; server evaluation as the
 * evaluator names them.
 */
public final class RoundResult {
    private final long round;
    private final ModelState global;
    private final Map<String, Double> metrics;
    private final Map<Integer, String> rejections;

    /** What one finished round produced: its number, the new global state, metrics, rejected clients with reasons. */
    public RoundResult(long round, ModelState global, Map<String, Double> metrics, Map<Integer, String> rejections) {
        this.round = round;
        this.global = global;
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        this.rejections = Collections.unmodifiableMap(new LinkedHashMap<>(rejections));
    }

    /** The round number (1-based). */
    public long round() {
        return round;
    }

    /** The global state at the end of the round; null in {@link Server#history()} entries of earlier rounds. */
    public ModelState global() {
        return global;
    }

    /** This result without its state, as the server keeps it in its history. */
    RoundResult withoutState() {
        return new RoundResult(round, null, metrics, rejections);
    }

    /** All metrics of the round (client means, server and evaluation metrics), by name. */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /** A metric, or NaN if absent. */
    public double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    /** Client id → reason, for every update not aggregated this round. */
    public Map<Integer, String> rejections() {
        return rejections;
    }
}
