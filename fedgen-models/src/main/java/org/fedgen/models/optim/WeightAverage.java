package org.fedgen.models.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.io.ExactState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of a flat float32 parameter vector, a ← d·a + (1 − d)·w, started at the first vector
 * it is given (so no weight is left on the initialisation). Sampling a GAN's generator from such an average damps the
 * oscillation of the raw weights between modes (Yazıcı et al. 2019). Not thread-safe.
 */
public final class WeightAverage {
    private final double decay;
    private INDArray average;
    private long updates;

    /**
     * @param decay d, in [0, 1)
     * @throws IllegalArgumentException naming d otherwise
     */
    public WeightAverage(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("average decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
    }

    /** The decay d of the average. */
    public double decay() {
        return decay;
    }

    /**
     * Folds {@code weights} into the average (copies it on the first call); {@code weights} is not modified.
     *
     * @throws IllegalArgumentException if its length or type differs from the first vector's
     */
    public void update(INDArray weights) {
        if (weights.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("weights must be FLOAT, got " + weights.dataType());
        }
        if (average == null) {
            average = weights.reshape(weights.length()).dup();
        } else {
            if (weights.length() != average.length()) {
                throw new IllegalArgumentException("weights have " + weights.length() + " values, the average "
                        + average.length());
            }
            average.muli(decay);
            Nd4j.getBlasWrapper().level1().axpy(average.length(), 1 - decay, weights.reshape(weights.length()),
                    average);
        }
        updates++;
    }

    /** Number of {@link #update} calls. */
    public long updates() {
        return updates;
    }

    /**
     * A copy of the average.
     *
     * @throws IllegalStateException before the first update
     */
    public INDArray average() {
        if (average == null) {
            throw new IllegalStateException("no weights averaged yet");
        }
        return average.dup();
    }

    /** The average (a copy, absent before the first update) and the update count, for a checkpoint. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        if (average != null) {
            s.put("average", average.dup());
        }
        s.put("updates", ExactState.ofLongs(updates));
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if the update count is missing or an average is given with no updates
     */
    public void restoreState(Map<String, INDArray> s) {
        if (!s.containsKey("updates")) {
            throw new IllegalArgumentException("average state lacks 'updates', has " + s.keySet());
        }
        long n = ExactState.toLong("updates", s.get("updates"));
        INDArray a = s.get("average");
        if ((a == null) != (n == 0)) {
            throw new IllegalArgumentException("average state has " + n + " updates but " + (a == null ? "no"
                    : "an") + " average");
        }
        if (a != null && a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("average must be FLOAT, got " + a.dataType());
        }
        average = a == null ? null : a.reshape(a.length()).dup();
        updates = n;
    }
}
