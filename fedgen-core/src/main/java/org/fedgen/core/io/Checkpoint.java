package org.fedgen.core.io;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a run needs to resume: the number of completed rounds, the global model and the aggregator's state (e.g. a
 * server optimizer's moment vectors), with the provenance of the run that wrote it, as stored by
 * {@link CheckpointFile}.
 *
 * @param round           completed rounds, {@code >= 0}
 * @param model           the global model state
 * @param aggregatorState named float32 arrays of any shape with at least one element, in iteration order
 *                        (copied into an unmodifiable ordered map; the arrays themselves are not copied)
 * @param provenance      how the run was made, as JSON text (its configuration, data fingerprint, version); empty
 *                        when unknown, e.g. a checkpoint of format version 1
 */
public record Checkpoint(long round, ModelState model, Map<String, INDArray> aggregatorState, String provenance) {
    /** Maximum rank of an aggregator array. */
    public static final int MAX_RANK = 32;

    /**
     * @throws IllegalArgumentException if the round is negative, a name is blank, or an array is not a non-empty
     *                                  float32 array of rank at most {@link #MAX_RANK}
     */
    public Checkpoint {
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(aggregatorState, "aggregatorState");
        Objects.requireNonNull(provenance, "provenance");
        LinkedHashMap<String, INDArray> copy = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : aggregatorState.entrySet()) {
            String name = e.getKey();
            INDArray a = e.getValue();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("aggregator state name must be non-blank, got '" + name + "'");
            }
            Objects.requireNonNull(a, () -> "aggregator state '" + name + "' is null");
            if (a.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("aggregator state '" + name + "' must be FLOAT (float32), got "
                        + a.dataType());
            }
            if (a.length() == 0 || a.rank() > MAX_RANK) {
                throw new IllegalArgumentException("aggregator state '" + name + "' must be non-empty with rank <= "
                        + MAX_RANK + ", got shape " + Arrays.toString(a.shape()));
            }
            copy.put(name, a);
        }
        aggregatorState = Collections.unmodifiableMap(copy);
    }

    /** A checkpoint without provenance. */
    public Checkpoint(long round, ModelState model, Map<String, INDArray> aggregatorState) {
        this(round, model, aggregatorState, "");
    }

    /** A checkpoint of a stateless aggregator, without provenance. */
    public static Checkpoint of(long round, ModelState model) {
        return new Checkpoint(round, model, Map.of());
    }

    /** This checkpoint with the given provenance. */
    public Checkpoint withProvenance(String json) {
        return new Checkpoint(round, model, aggregatorState, json);
    }

    /**
     * Checks that every model part and aggregator value is finite.
     *
     * @throws IllegalArgumentException naming the first entry with a NaN or infinite value
     */
    public void requireFinite() {
        for (Map.Entry<String, INDArray> e : model.parts().entrySet()) {
            requireFinite("model part", e.getKey(), e.getValue());
        }
        for (Map.Entry<String, INDArray> e : aggregatorState.entrySet()) {
            requireFinite("aggregator state", e.getKey(), e.getValue());
        }
    }

    private static void requireFinite(String kind, String name, INDArray a) {
        float[] v = a.dup().data().asFloat();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(kind + " '" + name + "' has the non-finite value " + v[i]
                        + " at index " + i);
            }
        }
    }
}
