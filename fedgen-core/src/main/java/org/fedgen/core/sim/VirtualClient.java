package org.fedgen.core.sim;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GeneratorScore;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;

/**
 * A simulated client: a data shard, optional held-out data and a {@link ClientStore}, but no model of its own. Its
 * work runs on a {@link WorkerPool} thread using that thread's model.
 */
public final class VirtualClient implements ClientProxy {
    private final int id;
    private final Dataset train;
    private final Dataset eval;
    private final ClientStore store = new ClientStore();
    private final WorkerPool<? extends TrainableModel> pool;
    private final GeneratorScore score;
    private final Set<String> localOnlyParts;

    /**
     * @param localOnlyParts parts this client always evaluates with its own copy (local-only parts)
     */
    public VirtualClient(int id, Dataset train, Dataset eval, WorkerPool<? extends TrainableModel> pool,
            GeneratorScore score, Set<String> localOnlyParts) {
        this.id = id;
        this.train = Objects.requireNonNull(train, "train");
        this.eval = eval;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.score = score;
        this.localOnlyParts = Set.copyOf(localOnlyParts);
    }

    @Override
    public int clientId() {
        return id;
    }

    /** The parts this client always evaluates with its own copy (local-only parts). */
    public Set<String> localOnlyParts() {
        return localOnlyParts;
    }

    /** The parts this client keeps between rounds. */
    ClientStore store() {
        return store;
    }

    /** Number of local training examples. */
    public int numExamples() {
        return train.size();
    }

    /** Features per training example. */
    public int numFeatures() {
        return train.numFeatures();
    }

    /** The shard size: the simulation knows it, so an update cannot claim more. */
    @Override
    public OptionalLong registeredExamples() {
        return OptionalLong.of(train.size());
    }

    @Override
    public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
        return pool.submit(m -> LocalTraining.fit(m, id, train, store, global, instructions, score));
    }

    @Override
    public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
        return pool.submit(m -> LocalTraining.evaluate(m, eval, store, global, instructions, localOnlyParts));
    }
}
