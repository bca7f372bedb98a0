package org.fedgen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads one numeric column of a run's metrics.csv. */
final class MetricsCsv {
    private MetricsCsv() {
    }

    /** The values of {@code column}, one per round (row) in file order. */
    static double[] column(Path csv, String column) {
        try {
            List<String> lines = Files.readAllLines(csv);
            int c = Arrays.asList(lines.get(0).split(",", -1)).indexOf(column);
            if (c < 0) {
                throw new IllegalArgumentException(csv + " has no column " + column);
            }
            double[] v = new double[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                v[i - 1] = Double.parseDouble(lines.get(i).split(",", -1)[c]);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
    }
}
