package org.fedgen.core.aggregate;

import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An aggregator that wraps another one (server optimizer, robust filter, ...). Exposing the wrapped aggregator lets
 * checks walk the whole chain, e.g. to find a DP aggregator and any rule around it that looks at individual updates.
 *
 * <p>What a decorator does not change goes to the wrapped aggregator: the instructions ({@link #configureFit},
 * {@link #configureRound}, so a protocol run before training, such as secure aggregation's key exchange, is never
 * skipped by a wrapper) and the checkpointed state. A decorator with state of its own overrides {@link #state()} and
 * {@link #restoreState} and keeps the wrapped aggregator's state inside its own.
 */
public interface AggregatorDecorator extends Aggregator {
    /** The wrapped aggregator. */
    Aggregator inner();

    @Override
    default FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        return inner().configureFit(instructions, global);
    }

    @Override
    default FitInstructions configureRound(FitInstructions instructions, ModelState global, List<Integer> sampled) {
        return inner().configureRound(instructions, global, sampled);
    }

    @Override
    default Map<String, INDArray> state() {
        return inner().state();
    }

    @Override
    default void restoreState(Map<String, INDArray> state) {
        inner().restoreState(state);
    }
}
