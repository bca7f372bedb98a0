package org.fedgen.core.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parts a client keeps between rounds (local-only parts, a generator it keeps training): the only per-client model
 * memory of a simulation, held only for the parts an aggregator asks clients to persist.
 */
public final class ClientStore {
    private final Map<String, INDArray> parts = new LinkedHashMap<>();

    /** The stored part, or null. */
    public synchronized INDArray get(String part) {
        return parts.get(part);
    }

    /** Stores a part, replacing the earlier copy in place when the length matches (no new native buffer). */
    public synchronized void put(String part, INDArray value) {
        INDArray old = parts.get(part);
        if (old != null && old.length() == value.length()) {
            old.assign(value);
        } else {
            parts.put(part, value.dup());
        }
    }

    /** Whether no client state is stored. */
    public synchronized boolean isEmpty() {
        return parts.isEmpty();
    }

    /** Copies of the stored parts, in the order they were first stored (what a checkpoint keeps). */
    public synchronized Map<String, INDArray> snapshot() {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        parts.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /** Replaces everything stored by copies of {@code stored} (a checkpoint's {@link #snapshot()}). */
    public synchronized void restore(Map<String, INDArray> stored) {
        parts.clear();
        stored.forEach((k, v) -> parts.put(k, v.dup()));
    }
}
