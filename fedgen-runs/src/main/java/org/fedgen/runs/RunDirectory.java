package org.fedgen.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of a run's output directory: a directory that already holds a run (a checkpoint, config.json or
 * metrics.csv) is never trained into by accident, and the hidden temp files of a crashed atomic write are removed
 * before a run starts.
 */
final class RunDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    private RunDirectory() {
    }

    /**
     * Removes stale temp files and, if the directory holds a run, refuses it or (with {@code overwrite}) deletes that
     * run's outputs.
     *
     * @throws IllegalArgumentException naming the directory and the file found, when it holds a run and
     *                                  {@code overwrite} is false
     */
    static void prepare(Path dir, boolean overwrite) {
        List<Path> run = new ArrayList<>();
        List<Path> temps = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    temps.add(f);
                } else if (isRunOutput(name)) {
                    run.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list output directory " + dir + ": " + e.getMessage(), e);
        }
        if (!run.isEmpty() && !overwrite) {
            // Refused before anything is touched: the directory stays exactly as it was.
            throw new IllegalArgumentException("output directory " + dir + " already holds a run ("
                    + run.stream().map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow()
                    + "); pass --overwrite to replace it, or choose another --out");
        }
        try {
            for (Path f : temps) {
                Files.deleteIfExists(f);
                LOG.info("removed the stale temp file {}", f);
            }
            if (run.isEmpty()) {
                return;
            }
            for (Path f : run) {
                Files.deleteIfExists(f);
            }
            LOG.info("overwriting the run in {}: deleted {} of its files", dir, run.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean output directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The names the run's own outputs use (see {@code FederatedRun.run}). */
    private static boolean isRunOutput(String name) {
        return name.equals(FederatedRun.CHECKPOINT) || name.equals(FederatedRun.CONFIG)
                || name.equals(FederatedRun.METRICS) || name.equals("metrics.png") || name.equals("samples.png")
                || name.equals("samples-idx3-ubyte") || name.matches("samples-round-\\d+\\.png")
                || name.equals(FederatedRun.CLASSES);
    }

    /**
     * Prepares a directory for a run resumed after round {@code round}: removes stale temp files and returns the
     * first {@code round} rows of its metrics.csv (rows beyond the checkpoint are dropped).
     *
     * @throws IllegalArgumentException if metrics.csv has fewer rows than the checkpoint's rounds or cannot be read
     */
    static List<Map<String, Double>> prepareResume(Path dir, long round) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                LOG.info("removed the stale temp file {}", f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean output directory " + dir + ": " + e.getMessage(), e);
        }
        Path csv = dir.resolve(FederatedRun.METRICS);
        List<Map<String, Double>> rows = Files.exists(csv) ? readMetrics(csv) : List.of();
        if (rows.size() < round) {
            throw new IllegalArgumentException(csv + " has " + rows.size() + " rows but the checkpoint is of round "
                    + round + "; the run's metrics are incomplete");
        }
        if (rows.size() > round) {
            LOG.info("dropping {} metrics row(s) written after the checkpoint of round {}", rows.size() - round, round);
        }
        return new ArrayList<>(rows.subList(0, (int) round));
    }

    /** Reads what {@code MetricsCsv} wrote: an unquoted header, then one row of numbers or empty cells per round. */
    private static List<Map<String, Double>> readMetrics(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        List<Map<String, Double>> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        String[] header = lines.get(0).split(",", -1);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + " has " + cells.length + " cells, the "
                        + "header " + header.length);
            }
            Map<String, Double> row = new LinkedHashMap<>();
            for (int c = 0; c < cells.length; c++) {
                if (!cells[c].isEmpty()) {
                    try {
                        row.put(header[c], Double.parseDouble(cells[c]));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(csv + " line " + (i + 1) + " column " + header[c]
                                + ": not a number: '" + cells[c] + "'");
                    }
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** Writes the configuration the run uses as config.json, atomically. */
    /** Writes the label mapping of class-folder data: line i is the class name of label i. */
    static void writeClasses(Path dir, List<String> classes) {
        Path f = dir.resolve(FederatedRun.CLASSES);
        try {
            AtomicFiles.writeString(f, String.join("\n", classes) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    static void writeConfig(Path dir, RunConfig config) {
        Path f = dir.resolve(FederatedRun.CONFIG);
        try {
            AtomicFiles.writeString(f, RunConfigJson.write(config) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }
}
