package org.fedgen.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedgen.core.data.Digits;
import org.fedgen.models.image.ImageGrid;
import org.fedgen.runs.TrainedModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedgen sample}: draws samples from any run's checkpoint; the model family, its settings and the sampler all
 * come from the checkpoint's recorded configuration.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Samples the model of a checkpoint (any family; everything but the count and seed is read from",
            "the checkpoint) and writes sample.png (the first 64) and sample-idx3-ubyte, or for a table run",
            "sample.csv."})
public final class SampleCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "checkpoint.fgs of a run.")
    Path checkpoint;

    @Option(names = "--n", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int n = 64;

    @Option(names = "--seed", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed = 7;

    @Option(names = "--labels", split = ",", paramLabel = "DIGIT", description = "Digits to draw, e.g. 0,3,7 "
            + "(cycled over the samples; conditional GAN or DDPM checkpoints only).")
    int[] labels;

    @Option(names = "--out", description = "Directory for the outputs (default: the checkpoint's directory).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be >= 1, got " + n);
        }
        TrainedModel model = TrainedModel.load(checkpoint);
        Path dir = out != null ? out : checkpoint.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(dir);
        if (model.tabular()) {
            model.sampleRows(n, seed).write(dir.resolve("sample.csv"));
            System.out.printf("%d rows of the %s table model at round %d written to %s%n", n,
                    model.provenance().config().model().family(), model.round(), dir.resolve("sample.csv")
                            .toAbsolutePath());
            return 0;
        }
        INDArray x = labels == null ? model.sample(n, seed) : model.sample(n, labels, seed);
        int[] item = model.itemShape();
        ImageGrid.write(dir.resolve("sample.png"), x.get(NDArrayIndex.interval(0, Math.min(64, n)),
                NDArrayIndex.all()), item[1], item[2]);
        Digits.writeIdx(dir.resolve("sample-idx3-ubyte"), x, item[1], item[2]);
        System.out.printf("%d samples%s of the %s model at round %d (fedgen %s) written to %s%n", n,
                labels == null ? "" : " of the digits " + java.util.Arrays.toString(labels),
                model.provenance().config().model().family(), model.round(), model.provenance().fedgenVersion(),
                dir.toAbsolutePath());
        return 0;
    }
}
