package org.fedgen.core.sim;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fedgen.core.Client;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GeneratorScore;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;

/**
 * A {@link Client} with its own model and data: what a real silo runs (in-process or behind a remote proxy). Calls are
 * serialised because the model is not thread-safe.
 */
public final class ModelClient implements Client {
    private final int id;
    private final TrainableModel model;
    private final Dataset train;
    private final Dataset eval;
    private final ClientStore store = new ClientStore();
    private final GeneratorScore score;
    private final Set<String> localOnlyParts;

    /**
     * A client that trains {@code model} on {@code train}, evaluates on {@code eval} (or null) and scores its generator
     * with {@code score} (or null); evaluation uses its own stored copy of {@code localOnlyParts} where it has one.
     */
    public ModelClient(int id, TrainableModel model, Dataset train, Dataset eval, GeneratorScore score,
            Set<String> localOnlyParts) {
        this.id = id;
        this.model = Objects.requireNonNull(model, "model");
        this.train = Objects.requireNonNull(train, "train");
        this.eval = eval;
        this.score = score;
        this.localOnlyParts = Set.copyOf(localOnlyParts);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long numExamples() {
        return train.size();
    }

    @Override
    public synchronized ClientUpdate fit(ModelState global, FitInstructions instructions) {
        return LocalTraining.fit(model, id, train, store, global, instructions, score);
    }

    @Override
    public synchronized Map<String, Double> evaluate(ModelState global, EvalInstructions instructions) {
        return LocalTraining.evaluate(model, eval, store, global, instructions, localOnlyParts);
    }
}
