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
 * server optimizer's moment vectors), as stored by {@link CheckpointFile}.
 *
 * @param round           completed rounds, {@code >= 0}
 * @param model           the global model state
 * @param aggregatorState named float32 arrays of any shape with at least one element, in iteration order
 *                        (copied into an unmodifiable ordered map; the arrays themselves are not copied)
 */
public record Checkpoint(long round, ModelState model, Map<String, INDArray> aggregatorState) {
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

    /** A checkpoint of a stateless aggregator. */
    public static Checkpoint of(long round, ModelState model) {
        return new Checkpoint(round, model, Map.of());
    }
}
