package org.fedgen.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the global state and the aggregator's state to one checkpoint file every k rounds and at the end of the run,
 * atomically (a crash leaves the previous checkpoint intact). Restore with {@link CheckpointFile#read(Path)}, then
 * {@code Aggregator.restoreState} and a simulation whose initial state is the checkpoint's model.
 */
public final class CheckpointListener implements RoundListener {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointListener.class);
    private final Path file;
    private final Supplier<Map<String, INDArray>> state;
    private final int every;
    private final String provenance;
    private long lastWritten = -1;

    /**
     * @param file       the checkpoint file (replaced each time)
     * @param aggregator whose {@link Aggregator#state()} is saved with the model
     * @param every      write after every {@code every}-th round (&gt;= 1)
     */
    public CheckpointListener(Path file, Aggregator aggregator, int every) {
        this(file, aggregator, every, "");
    }

    /**
     * @param file       the checkpoint file (replaced each time)
     * @param aggregator whose {@link Aggregator#state()} is saved with the model
     * @param every      write after every {@code every}-th round (&gt;= 1)
     * @param provenance the run's provenance as JSON, stored in every checkpoint (empty: none)
     */
    public CheckpointListener(Path file, Aggregator aggregator, int every, String provenance) {
        this(file, every, provenance, Objects.requireNonNull(aggregator, "aggregator")::state);
    }

    /**
     * @param file       the checkpoint file (replaced each time)
     * @param every      write after every {@code every}-th round (&gt;= 1)
     * @param provenance the run's provenance as JSON, stored in every checkpoint (empty: none)
     * @param state      the run's state besides the global model, e.g. {@link org.fedgen.core.Server#state()},
     *                   asked for at every write
     */
    public CheckpointListener(Path file, int every, String provenance, Supplier<Map<String, INDArray>> state) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + every);
        }
        this.file = Objects.requireNonNull(file, "file");
        this.state = Objects.requireNonNull(state, "state");
        this.every = every;
        this.provenance = Objects.requireNonNull(provenance, "provenance");
    }

    @Override
    public void onRoundEnd(RoundResult result) {
        if (result.round() % every == 0) {
            write(result.global());
        }
    }

    @Override
    public void onRunEnd(ModelState finalState) {
        if (finalState.round() != lastWritten) {
            write(finalState);
        }
    }

    private void write(ModelState global) {
        try {
            CheckpointFile.write(file, new Checkpoint(global.round(), global, state.get(), provenance));
            lastWritten = global.round();
            LOG.debug("checkpoint of round {} written to {}", global.round(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }
}
