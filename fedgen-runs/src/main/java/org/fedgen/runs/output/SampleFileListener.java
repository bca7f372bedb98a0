package org.fedgen.runs.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.data.Digits;

/** Writes {@code n} samples of the final model as an IDX ubyte image file when the run ends (score it with eval). */
public final class SampleFileListener implements RoundListener {
    private final Path file;
    private final Sampler sampler;
    private final int n;
    private final long seed;
    private final int height;
    private final int width;

    /** @param n samples to write (&gt;= 1) */
    public SampleFileListener(Path file, Sampler sampler, int n, long seed, int height, int width) {
        if (n < 1) {
            throw new IllegalArgumentException("sample count must be >= 1, got " + n);
        }
        this.file = Objects.requireNonNull(file, "file");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.n = n;
        this.seed = seed;
        this.height = height;
        this.width = width;
    }

    @Override
    public void onRoundEnd(RoundResult r) {
    }

    @Override
    public void onRunEnd(ModelState finalState) {
        try {
            Digits.writeIdx(file, sampler.sample(finalState, n, seed), height, width);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
