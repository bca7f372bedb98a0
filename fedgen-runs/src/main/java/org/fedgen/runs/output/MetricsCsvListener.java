package org.fedgen.runs.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.io.MetricsCsv;

/** Rewrites {@code metrics.csv} (one row per round, the union of the rounds' metrics as columns) after every round. */
public final class MetricsCsvListener implements RoundListener {
    private final Path file;
    private final List<Map<String, Double>> rows = new ArrayList<>();

    /** @param file the CSV file, replaced after each round */
    public MetricsCsvListener(Path file) {
        this(file, List.of());
    }

    /**
     * @param file    the CSV file, replaced after each round
     * @param earlier rows of the rounds before this run's first (a resumed run's), kept at the top of the file
     */
    public MetricsCsvListener(Path file, List<Map<String, Double>> earlier) {
        this.file = Objects.requireNonNull(file, "file");
        rows.addAll(earlier);
    }

    @Override
    public void onRoundEnd(RoundResult r) {
        rows.add(r.metrics());
        try {
            MetricsCsv.write(file, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
