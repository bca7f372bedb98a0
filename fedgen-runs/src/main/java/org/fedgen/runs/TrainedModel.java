package org.fedgen.runs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.Server;
import org.fedgen.core.io.Checkpoint;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.runs.table.CsvTable;
import org.fedgen.runs.table.TableEncoder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained model rebuilt from a checkpoint alone: the configuration comes from the checkpoint's provenance, the
 * model is built by that configuration's recipe, and the aggregator's state (e.g. a DDPM's moving average, which
 * samples then use) is restored into the same aggregator chain the run used.
 */
public final class TrainedModel {
    private final Path file;
    private final Checkpoint checkpoint;
    private final RunProvenance provenance;
    private final ModelRecipe recipe;
    /** The transform of a table run, null for the digits. */
    private final TableEncoder table;

    private TrainedModel(Path file, Checkpoint checkpoint, RunProvenance provenance, ModelRecipe recipe,
            TableEncoder table) {
        this.file = file;
        this.checkpoint = checkpoint;
        this.provenance = provenance;
        this.recipe = recipe;
        this.table = table;
    }

    /**
     * Reads a checkpoint and rebuilds its model.
     *
     * @throws IOException              if the file cannot be read or is not a valid checkpoint, naming it
     * @throws IllegalArgumentException naming the file if it records no configuration, its parameters are not all
     *                                  finite, or they do not fit the model its configuration describes
     */
    public static TrainedModel load(Path file) throws IOException {
        Checkpoint cp = readFinite(file);
        RunProvenance p = RunProvenance.fromJson(cp.provenance(), file.toString());
        RunConfig o = p.config();
        FederatedRun.Setup s = FederatedRun.setup(o);
        String fingerprint = RunProvenance.fingerprint(s.shards(), s.clientEval());
        if (!fingerprint.equals(p.dataFingerprint())) {
            throw new IllegalArgumentException(file + ": the data split of this build (" + fingerprint
                    + ") differs from the one the run recorded (" + p.dataFingerprint() + ")");
        }
        ModelRecipe recipe = s.recipe();
        // The same chain as the run, so the recorded aggregator state has the owners it had.
        Aggregator chain = new DpRun(o, recipe, s.shards()).aggregator(FederatedRun.aggregator(o, recipe));
        try {
            chain.restoreState(Server.aggregatorEntries(cp.aggregatorState()));
            recipe.factory().get().load(cp.model());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": does not fit the model its configuration describes: "
                    + e.getMessage(), e);
        }
        return new TrainedModel(file, cp, p, recipe, s.table() == null ? null : s.table().encoder());
    }

    /**
     * Reads a checkpoint whose values are all finite.
     *
     * @throws IOException              if it cannot be read or is not a valid checkpoint
     * @throws IllegalArgumentException naming the file and the first non-finite value
     */
    static Checkpoint readFinite(Path file) throws IOException {
        Checkpoint cp = CheckpointFile.read(Objects.requireNonNull(file, "file"));
        try {
            cp.requireFinite();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return cp;
    }

    /** The checkpoint's provenance (configuration, data fingerprint, fedgen version). */
    public RunProvenance provenance() {
        return provenance;
    }

    /** Completed rounds of the run when the checkpoint was written. */
    public long round() {
        return checkpoint.round();
    }

    /** The global model state of the checkpoint. */
    ModelState state() {
        return checkpoint.model();
    }

    /** The recipe the checkpoint's configuration builds. */
    ModelRecipe recipe() {
        return recipe;
    }

    /** The checkpoint file. */
    public Path file() {
        return file;
    }

    /** Whether the run trained on a table (its samples are rows, see {@link #sampleRows}). */
    public boolean tabular() {
        return table != null;
    }

    /**
     * n sampled rows of a table run, in the table's header, column types and vocabulary.
     *
     * @throws IllegalArgumentException if n &lt; 1 or the run trained on the digits
     */
    public CsvTable sampleRows(int n, long seed) {
        if (table == null) {
            throw new IllegalArgumentException(file + " is a digits run: its samples are images, not rows");
        }
        return CsvTable.of("samples", table.header(), table.decode(sample(n, seed)));
    }

    /** The shape [channels, height, width] of one sample: [1, 28, 28] for a run on the bundled digits. */
    public int[] itemShape() {
        return DataFit.itemShape(provenance.config());
    }

    /**
     * n samples [n, channels · height · width] in [0, 1] (see {@link #itemShape()}); a conditional model cycles the
     * labels 0..9 over the rows.
     *
     * @throws IllegalArgumentException if n &lt; 1
     */
    public INDArray sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of samples must be >= 1, got " + n);
        }
        return recipe.sample(checkpoint.model(), n, seed);
    }

    /** Whether the model draws samples of requested labels (a conditional GAN or DDPM). */
    public boolean conditional() {
        ModelSettings m = provenance.config().model();
        return m instanceof GanSettings g && g.conditional() || m instanceof DdpmSettings d && d.conditional();
    }

    /**
     * n samples [n, 784] in [0, 1] of the requested digits, row i of {@code labels[i % labels.length]}.
     *
     * @throws IllegalArgumentException if n &lt; 1, no label is given, a label is not a digit 0..9, or the model is not
     *                                  conditional (naming the checkpoint and its family)
     */
    public INDArray sample(int n, int[] labels, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of samples must be >= 1, got " + n);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("give at least one label");
        }
        for (int y : labels) {
            if (y < 0 || y > 9) {
                throw new IllegalArgumentException("labels must be digits 0..9, got " + y);
            }
        }
        if (!conditional()) {
            throw new IllegalArgumentException(file + " holds an unconditional " + provenance.config().model()
                    .family() + " model, which cannot draw requested labels (train with --conditional)");
        }
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = labels[i % labels.length];
        }
        return recipe.sample(checkpoint.model(), rows, seed);
    }
}
