package org.fedgen.runs.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.models.image.ImageGrid;

/**
 * Writes a PNG grid of 64 samples as {@code samples-round-NNNN.png} every {@code every} rounds and after the last
 * round, and {@code samples.png} when the run ends; every grid is drawn with the same seed, so grids of different
 * rounds show the same latents.
 */
public final class SampleGridListener implements RoundListener {
    private static final int GRID = 64;
    private final Path dir;
    private final Sampler sampler;
    private final long seed;
    private final int every;
    private final long lastRound;
    private final int height;
    private final int width;

    /**
     * @param dir       the output directory
     * @param every     rounds between grids (&gt;= 1)
     * @param lastRound the run's last round, which always gets a grid
     * @param height    image height in pixels
     * @param width     image width in pixels
     */
    public SampleGridListener(Path dir, Sampler sampler, long seed, int every, long lastRound, int height,
            int width) {
        if (every < 1) {
            throw new IllegalArgumentException("grid interval must be >= 1, got " + every);
        }
        this.dir = Objects.requireNonNull(dir, "dir");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.seed = seed;
        this.every = every;
        this.lastRound = lastRound;
        this.height = height;
        this.width = width;
    }

    @Override
    public void onRoundEnd(RoundResult r) {
        if (r.round() % every == 0 || r.round() == lastRound) {
            write(dir.resolve(String.format("samples-round-%04d.png", r.round())), r.global());
        }
    }

    @Override
    public void onRunEnd(ModelState finalState) {
        write(dir.resolve("samples.png"), finalState);
    }

    private void write(Path file, ModelState state) {
        try {
            ImageGrid.write(file, sampler.sample(state, GRID, seed), height, width);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
