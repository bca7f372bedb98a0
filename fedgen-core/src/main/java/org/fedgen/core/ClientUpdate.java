package org.fedgen.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one client sends back after local training: its id, the round it trained for, how many local examples it
 * trained on, a per-part payload whose meaning {@link #kind()} states, and scalar metrics (loss, MMD score, ...).
 *
 * <p>The payload vectors are owned by the update; aggregators must not modify them.
 */
public final class ClientUpdate {
    private final int clientId;
    private final long round;
    private final long numExamples;
    private final PayloadKind kind;
    private final Map<String, INDArray> parts;
    private final Map<String, Double> metrics;

    /**
     * @throws IllegalArgumentException if numExamples is negative or a part is not a float32 vector
     */
    public ClientUpdate(int clientId, long round, long numExamples, PayloadKind kind, Map<String, INDArray> parts,
            Map<String, Double> metrics) {
        if (numExamples < 0) {
            throw new IllegalArgumentException("numExamples must be >= 0, got " + numExamples);
        }
        this.clientId = clientId;
        this.round = round;
        this.numExamples = numExamples;
        this.kind = Objects.requireNonNull(kind, "kind");
        LinkedHashMap<String, INDArray> p = new LinkedHashMap<>();
        parts.forEach((k, v) -> p.put(k, ModelState.checkedVector(k, v)));
        this.parts = Collections.unmodifiableMap(p);
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The id of the client that sent this update. */
    public int clientId() {
        return clientId;
    }

    /** The round this update answers. */
    public long round() {
        return round;
    }

    /** The number of local examples the client claims to have trained on (n_k). */
    public long numExamples() {
        return numExamples;
    }

    /** What the payload holds: new weights, a delta or a gradient. */
    public PayloadKind kind() {
        return kind;
    }

    /** Payload parts, in order; unmodifiable. */
    public Map<String, INDArray> parts() {
        return parts;
    }

    /** The named payload part; throws naming the part if absent. */
    public INDArray part(String name) {
        INDArray v = parts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("client " + clientId + " sent no part '" + name + "'; it sent "
                    + parts.keySet());
        }
        return v;
    }

    /** Scalar metrics the client reported; unmodifiable. */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /** A metric, or NaN if absent. */
    public double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    /** Payload bytes as float32, the upload size of this update. */
    public long numBytes() {
        long n = 0;
        for (INDArray v : parts.values()) {
            n += v.length();
        }
        return n * Float.BYTES;
    }

    /** This update with some parts replaced (used by wrappers such as local DP); metrics and ids are kept. */
    public ClientUpdate withParts(PayloadKind newKind, Map<String, INDArray> newParts) {
        return new ClientUpdate(clientId, round, numExamples, newKind, newParts, metrics);
    }

    /** This update with another example count (the server's bound on the claim); parts and metrics are kept. */
    public ClientUpdate withNumExamples(long n) {
        return n == numExamples ? this : new ClientUpdate(clientId, round, n, kind, parts, metrics);
    }

    @Override
    public String toString() {
        return "ClientUpdate{client=" + clientId + ", round=" + round + ", n=" + numExamples + ", kind=" + kind
                + ", parts=" + parts.keySet() + ", metrics=" + metrics + '}';
    }
}
