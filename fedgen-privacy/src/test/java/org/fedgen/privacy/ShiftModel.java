package org.fedgen.privacy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A two-part model ("encoder" of 3, "decoder" of 4) whose training adds 0.01 to every trained parameter and reports a
 * loss of {@link #LOSS}: a value easy to look for in what a run publishes.
 */
final class ShiftModel implements TrainableModel {
    static final double LOSS = 0.987654321;

    private final Map<String, INDArray> params = new LinkedHashMap<>();

    ShiftModel() {
        initialize(0);
    }

    @Override
    public ModelState initialize(long seed) {
        params.put("encoder", Nd4j.zeros(DataType.FLOAT, 3));
        params.put("decoder", Nd4j.zeros(DataType.FLOAT, 4));
        return state();
    }

    @Override
    public ModelState state() {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.dup()));
        return ModelState.of(0, copy);
    }

    @Override
    public void load(ModelState state) {
        for (String p : state.partNames()) {
            params.get(p).assign(state.part(p));
        }
    }

    @Override
    public Map<String, Double> fit(Dataset data, FitInstructions instructions, ModelState anchor) {
        for (String p : instructions.trainParts().isEmpty() ? params.keySet() : instructions.trainParts()) {
            params.get(p).addi(0.01);
        }
        return Map.of("loss", LOSS, "steps", 1.0);
    }

    @Override
    public Map<String, INDArray> gradient(Dataset data, FitInstructions instructions) {
        throw new UnsupportedOperationException("ShiftModel has no gradient");
    }

    @Override
    public Map<String, Double> evaluate(Dataset data, long seed) {
        return Map.of("loss", LOSS, "numExamples", (double) data.size());
    }
}
