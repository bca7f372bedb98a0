package org.fedgen.core.aggregate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The averaged model an averaging decorator keeps beside the trained one ({@link ExponentialMovingAverage},
 * {@link IterateAverage}): its parts, the round of the last aggregation, and their checkpoint form, the parts under
 * {@code <prefix><part>}, the round under {@code round} (a float32 scalar, as every checkpointed array; exact below
 * 2^24) and the wrapped aggregator's state under {@code inner/}.
 */
final class AveragedParts {
    private static final String INNER_PREFIX = "inner/";
    private static final String ROUND_KEY = "round";

    private final String prefix;
    private final String owner;
    /** The averaged parts, updated in place by the owner. */
    final Map<String, INDArray> parts = new LinkedHashMap<>();
    /** The round of the last aggregation. */
    long round;

    /**
     * @param prefix the key prefix of the parts in the checkpoint state
     * @param owner  the owner's name for error messages
     */
    AveragedParts(String prefix, String owner) {
        this.prefix = prefix;
        this.owner = owner;
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** A copy of the averaged parts, stamped with the round of the last aggregation. */
    ModelState copy() {
        if (parts.isEmpty()) {
            throw new IllegalStateException("no average yet: aggregate() has not been called");
        }
        Map<String, INDArray> copy = new LinkedHashMap<>();
        parts.forEach((k, v) -> copy.put(k, v.dup()));
        return ModelState.of(round, copy);
    }

    /** The checkpoint state: these parts, their round, and {@code inner}'s state. */
    Map<String, INDArray> state(Aggregator inner) {
        Map<String, INDArray> s = new LinkedHashMap<>();
        parts.forEach((k, v) -> s.put(prefix + k, v.dup()));
        if (!parts.isEmpty()) {
            s.put(ROUND_KEY, Nd4j.scalar(DataType.FLOAT, (float) round));
        }
        inner.state().forEach((k, v) -> s.put(INNER_PREFIX + k, v));
        return s;
    }

    /**
     * Restores what {@link #state} returned, handing {@code inner} its own entries.
     *
     * @throws IllegalArgumentException naming an entry that belongs to neither
     */
    void restore(Map<String, INDArray> state, Aggregator inner) {
        Map<String, INDArray> restored = new LinkedHashMap<>();
        Map<String, INDArray> innerState = new LinkedHashMap<>();
        long restoredRound = 0;
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(prefix)) {
                restored.put(k.substring(prefix.length()), e.getValue().dup());
            } else if (k.startsWith(INNER_PREFIX)) {
                innerState.put(k.substring(INNER_PREFIX.length()), e.getValue());
            } else if (ROUND_KEY.equals(k)) {
                restoredRound = Math.round(e.getValue().getDouble(0));
            } else {
                throw new IllegalArgumentException("unknown " + owner + " state entry '" + k + "'; expected " + prefix
                        + "*, " + INNER_PREFIX + "* or " + ROUND_KEY);
            }
        }
        inner.restoreState(innerState);
        parts.clear();
        parts.putAll(restored);
        round = restoredRound;
    }
}
