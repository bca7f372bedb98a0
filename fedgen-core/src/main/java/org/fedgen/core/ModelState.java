package org.fedgen.core;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a model as an ordered map from part name to a flat float32 vector, stamped with the round that
 * produced them.
 *
 * <p>Parts let policies differ inside one model: a GAN has {@code generator} and {@code discriminator}, a VAE
 * {@code encoder} and {@code decoder}. The map is unmodifiable; the vectors are not copied on construction and must be
 * treated as read-only by everyone who receives a state (use {@link #copy()} to get private buffers).
 */
public final class ModelState {
    private final long round;
    private final Map<String, INDArray> parts;

    private ModelState(long round, Map<String, INDArray> parts) {
        this.round = round;
        this.parts = Collections.unmodifiableMap(parts);
    }

    /**
     * Creates a state from the given parts, in the map's iteration order.
     *
     * @throws IllegalArgumentException if a part is not a float32 vector or a name is blank
     */
    public static ModelState of(long round, Map<String, INDArray> parts) {
        Objects.requireNonNull(parts, "parts");
        LinkedHashMap<String, INDArray> copy = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            copy.put(e.getKey(), checkedVector(e.getKey(), e.getValue()));
        }
        return new ModelState(round, copy);
    }

    /** Returns a builder for a state of the given round. */
    public static Builder builder(long round) {
        return new Builder(round);
    }

    static INDArray checkedVector(String name, INDArray v) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("part name must be non-blank, got '" + name + "'");
        }
        Objects.requireNonNull(v, () -> "part '" + name + "' is null");
        if (v.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("part '" + name + "' must be FLOAT (float32), got " + v.dataType());
        }
        if (!v.isVector() && !v.isScalar() || v.length() == 0) {
            throw new IllegalArgumentException("part '" + name + "' must be a non-empty flat vector, got shape "
                    + java.util.Arrays.toString(v.shape()));
        }
        return v.rank() == 1 ? v : v.reshape(v.length());
    }

    /** The round whose aggregation produced this state (0 for the initial state). */
    public long round() {
        return round;
    }

    /** The part names, in order. */
    public Set<String> partNames() {
        return parts.keySet();
    }

    /** All parts, in order; unmodifiable. */
    public Map<String, INDArray> parts() {
        return parts;
    }

    /** Whether a part of that name exists. */
    public boolean has(String name) {
        return parts.containsKey(name);
    }

    /**
     * The named part.
     *
     * @throws IllegalArgumentException naming the missing part and the parts that exist
     */
    public INDArray part(String name) {
        INDArray v = parts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no part '" + name + "' in state; parts are " + parts.keySet());
        }
        return v;
    }

    /** Total number of parameters over all parts. */
    public long numParams() {
        long n = 0;
        for (INDArray v : parts.values()) {
            n += v.length();
        }
        return n;
    }

    /** Bytes the parts occupy as float32, the unit of communication cost. */
    public long numBytes() {
        return numParams() * Float.BYTES;
    }

    /** A state holding only the named parts, in this state's order. */
    public ModelState select(Collection<String> names) {
        LinkedHashMap<String, INDArray> sel = new LinkedHashMap<>();
        for (String n : names) {
            part(n);
        }
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            if (names.contains(e.getKey())) {
                sel.put(e.getKey(), e.getValue());
            }
        }
        return new ModelState(round, sel);
    }

    /** This state with the given parts replaced or added (added parts go last). */
    public ModelState with(Map<String, INDArray> replacements) {
        LinkedHashMap<String, INDArray> m = new LinkedHashMap<>(parts);
        for (Map.Entry<String, INDArray> e : replacements.entrySet()) {
            m.put(e.getKey(), checkedVector(e.getKey(), e.getValue()));
        }
        return new ModelState(round, m);
    }

    /** This state with another round number; the vectors are shared. */
    public ModelState withRound(long newRound) {
        return new ModelState(newRound, new LinkedHashMap<>(parts));
    }

    /** A deep copy: every vector gets its own buffer. */
    public ModelState copy() {
        LinkedHashMap<String, INDArray> m = new LinkedHashMap<>();
        parts.forEach((k, v) -> m.put(k, v.dup()));
        return new ModelState(round, m);
    }

    /** Whether both states have the same round, part names in the same order, and bit-identical values. */
    public boolean bitEquals(ModelState other) {
        if (other == null || round != other.round || !new java.util.ArrayList<>(parts.keySet())
                .equals(new java.util.ArrayList<>(other.parts.keySet()))) {
            return false;
        }
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            float[] a = e.getValue().toFloatVector();
            float[] b = other.parts.get(e.getKey()).toFloatVector();
            if (a.length != b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ModelState{round=").append(round);
        parts.forEach((k, v) -> sb.append(", ").append(k).append('[').append(v.length()).append(']'));
        return sb.append('}').toString();
    }

    /** Builds a {@link ModelState} part by part. */
    public static final class Builder {
        private final long round;
        private final LinkedHashMap<String, INDArray> parts = new LinkedHashMap<>();

        private Builder(long round) {
            this.round = round;
        }

        /** Adds a part; a name may be used once. */
        public Builder part(String name, INDArray vector) {
            if (parts.containsKey(name)) {
                throw new IllegalArgumentException("duplicate part '" + name + "'");
            }
            parts.put(name, checkedVector(name, vector));
            return this;
        }

        /** The state, with the parts in insertion order. */
        public ModelState build() {
            return new ModelState(round, new LinkedHashMap<>(parts));
        }
    }
}
