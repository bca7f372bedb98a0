package org.fedgen.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
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
    private final Aggregator aggregator;
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
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + every);
        }
        this.file = Objects.requireNonNull(file, "file");
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
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

    private void write(ModelState state) {
        try {
            CheckpointFile.write(file, new Checkpoint(state.round(), state, aggregator.state(), provenance));
            lastWritten = state.round();
            LOG.debug("checkpoint of round {} written to {}", state.round(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }
}
