package org.fedgen.core.attack;

import java.util.Objects;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A backdoor in a conditional generator: the attacker replaces the first ⌈p·n⌉ of its n examples (shards are in random
 * order) by the trigger pattern labelled with the target label, so a generator that learns it draws the trigger when
 * asked for that label. {@link #success} measures it: the fraction of generated samples of the target label that
 * match the trigger, i.e. whose mean absolute pixel difference to it is at most a tolerance.
 */
public final class Backdoor {
    private final int targetLabel;
    private final float[] trigger;
    private final double poisonFraction;
    /** Indices of the pattern's pixels: where the trigger differs from its most common value. */
    private final int[] pattern;

    /**
     * @param targetLabel    the label that should yield the trigger
     * @param trigger        the pattern, one value per feature
     * @param poisonFraction p in (0, 1]
     */
    public Backdoor(int targetLabel, float[] trigger, double poisonFraction) {
        if (targetLabel < 0) {
            throw new IllegalArgumentException("backdoor target label must be >= 0, got " + targetLabel);
        }
        if (!(poisonFraction > 0 && poisonFraction <= 1)) {
            throw new IllegalArgumentException("backdoor poison fraction must be in (0, 1], got " + poisonFraction);
        }
        this.targetLabel = targetLabel;
        this.trigger = Objects.requireNonNull(trigger, "trigger").clone();
        this.poisonFraction = poisonFraction;
        this.pattern = patternPixels(this.trigger);
    }

    // A blank sample is within a small mean difference of a small trigger (a 6×6 square is 4.6 % of a 28×28 image),
    // so the whole-image difference alone would count it as drawing the trigger.
    private static int[] patternPixels(float[] trigger) {
        java.util.Map<Float, Integer> counts = new java.util.HashMap<>();
        float background = trigger.length == 0 ? 0f : trigger[0];
        for (float v : trigger) {
            int c = counts.merge(v, 1, Integer::sum);
            if (c > counts.get(background)) {
                background = v;
            }
        }
        float b = background;
        return java.util.stream.IntStream.range(0, trigger.length).filter(i -> trigger[i] != b).toArray();
    }

    /**
     * A {@code size}×{@code size} square of value {@code on} in the top-left corner of an h×w image of {@code off}.
     */
    public static float[] cornerSquare(int h, int w, int size, float off, float on) {
        if (size < 1 || size > Math.min(h, w)) {
            throw new IllegalArgumentException("trigger square size must be in [1, " + Math.min(h, w) + "], got "
                    + size);
        }
        float[] t = new float[h * w];
        java.util.Arrays.fill(t, off);
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                t[r * w + c] = on;
            }
        }
        return t;
    }

    public int targetLabel() {
        return targetLabel;
    }

    /** The trigger pattern (a copy). */
    public float[] trigger() {
        return trigger.clone();
    }

    /** The attacker's poisoned copy of its data. */
    public Dataset apply(Dataset data) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("a backdoor needs labelled data");
        }
        if (data.numFeatures() != trigger.length) {
            throw new IllegalArgumentException("trigger has " + trigger.length + " values but examples have "
                    + data.numFeatures() + " features");
        }
        int poisoned = (int) Math.ceil(poisonFraction * data.size());
        INDArray x = data.features().dup();
        INDArray t = Nd4j.createFromArray(trigger).reshape(1, trigger.length);
        int[] y = data.labels();
        for (int i = 0; i < poisoned; i++) {
            x.putRow(i, t);
            y[i] = targetLabel;
        }
        return new Dataset(x, y, data.itemShape());
    }

    /**
     * @param samples   [n, d] samples the generator drew for the target label
     * @param tolerance the largest mean absolute difference to the trigger, over the whole image and over the
     *                  pattern's pixels, that counts as a match
     * @return the fraction of rows that match the trigger
     */
    public double success(INDArray samples, double tolerance) {
        if (samples.columns() != trigger.length) {
            throw new IllegalArgumentException("samples have " + samples.columns() + " features, trigger "
                    + trigger.length);
        }
        float[][] rows = samples.toFloatMatrix();
        int hits = 0;
        for (float[] r : rows) {
            double diff = 0;
            for (int c = 0; c < r.length; c++) {
                diff += Math.abs(r[c] - trigger[c]);
            }
            double onPattern = 0;
            for (int c : pattern) {
                onPattern += Math.abs(r[c] - trigger[c]);
            }
            boolean patternDrawn = pattern.length == 0 || onPattern / pattern.length <= tolerance;
            hits += diff / r.length <= tolerance && patternDrawn ? 1 : 0;
        }
        return rows.length == 0 ? Double.NaN : (double) hits / rows.length;
    }
}
