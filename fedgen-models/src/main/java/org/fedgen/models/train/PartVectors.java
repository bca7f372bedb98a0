package org.fedgen.models.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's parameters as named flat vectors, in a fixed order: what {@code state()}, {@code load()} and the part
 * checks of a fit need, with one message style for every family. The vectors are the model's own (views are fine),
 * never copies.
 */
public final class PartVectors {
    private final String model;
    private final Map<String, INDArray> parts;

    private PartVectors(String model, Map<String, INDArray> parts) {
        this.model = model;
        this.parts = parts;
    }

    /**
     * @param model        the model's name in messages, e.g. "VAE"
     * @param namesVectors alternating part names and their vectors, in state order
     * @throws IllegalArgumentException if the arguments do not pair up or a name repeats
     */
    public static PartVectors of(String model, Object... namesVectors) {
        Objects.requireNonNull(model, "model");
        if (namesVectors.length == 0 || namesVectors.length % 2 != 0) {
            throw new IllegalArgumentException("need name, vector pairs, got " + namesVectors.length + " arguments");
        }
        Map<String, INDArray> parts = new LinkedHashMap<>();
        for (int i = 0; i < namesVectors.length; i += 2) {
            String name = (String) Objects.requireNonNull(namesVectors[i], "part name");
            INDArray v = (INDArray) Objects.requireNonNull(namesVectors[i + 1], "part vector");
            if (parts.put(name, v) != null) {
                throw new IllegalArgumentException("part '" + name + "' given twice");
            }
        }
        return new PartVectors(model, Collections.unmodifiableMap(parts));
    }

    /** The part names in state order. */
    public List<String> names() {
        return new ArrayList<>(parts.keySet());
    }

    /**
     * The named part's vector.
     *
     * @throws IllegalArgumentException naming the part and the model's parts if there is no such part
     */
    public INDArray vector(String name) {
        INDArray v = parts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown part '" + name + "'; " + model + " parts are " + names());
        }
        return v;
    }

    /** A state (round 0) holding copies of every part. */
    public ModelState state() {
        ModelState.Builder b = ModelState.builder(0);
        parts.forEach((name, v) -> b.part(name, v.dup()));
        return b.build();
    }

    /**
     * Copies the parts the state holds into the model's vectors; parts it lacks keep their values. Every part is
     * checked before any is written, so a bad state changes nothing.
     *
     * @throws IllegalArgumentException naming the part if one is unknown or has another length
     */
    public void load(ModelState state) {
        Objects.requireNonNull(state, "state");
        for (String name : state.partNames()) {
            long len = state.part(name).length();
            long expected = vector(name).length();
            if (len != expected) {
                throw new IllegalArgumentException("part '" + name + "' has length " + len + " but this " + model
                        + " expects " + expected);
            }
        }
        for (String name : state.partNames()) {
            parts.get(name).assign(state.part(name));
        }
    }

    /**
     * Checks that every part the instructions name exists.
     *
     * @throws IllegalArgumentException naming the unknown part and the model's parts
     */
    public void checkTrainParts(FitInstructions instructions) {
        for (String p : instructions.trainParts()) {
            if (!parts.containsKey(p)) {
                throw new IllegalArgumentException("unknown part '" + p + "' in trainParts; " + model + " parts are "
                        + names());
            }
        }
    }
}
