package org.fedgen.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Digits;
import org.fedgen.core.io.Checkpoint;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.models.ddpm.AncestralSampler;
import org.fedgen.models.ddpm.DdimSampler;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.DiffusionSampler;
import org.fedgen.models.image.ImageGrid;
import org.fedgen.runs.DdpmModels;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedgen ddpm-sample}: loads a DDPM run's checkpoint (its EMA weights when the checkpoint holds them) and draws
 * samples with both the ancestral DDPM sampler and DDIM, printing the time of each and the kernel MMD² against the
 * 1 000 held-out digits, and writing a grid and an IDX file per sampler (score the IDX files with {@code fedgen eval}).
 */
@Command(name = "ddpm-sample", mixinStandardHelpOptions = true,
        description = {"Samples a trained DDPM checkpoint with the ancestral (DDPM) and DDIM samplers; prints the time",
            "and the MMD against the held-out digits of each, writes ddpm-samples-<sampler>.png next to it."})
public final class DdpmSampleCommand implements Callable<Integer> {
    @Mixin
    DdpmOptions ddpm = new DdpmOptions();

    @Option(names = "--conditional", description = "The checkpoint is of a class-conditional DDPM.")
    void conditional(boolean value) {
        ddpm.conditional = value;
    }

    @Option(names = "--checkpoint", required = true, description = "checkpoint.fgs of a --model ddpm run (same "
            + "DDPM options as the run).")
    Path checkpoint;

    @Option(names = "--samples", description = "Samples per sampler (default: ${DEFAULT-VALUE}).")
    int samples = 1000;

    @Option(names = "--seed", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed = 7;

    @Override
    public Integer call() throws Exception {
        Ddpm model = DdpmModels.newModel(ddpm.toSettings());
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        Checkpoint cp = CheckpointFile.read(checkpoint);
        Map<String, INDArray> agg = cp.aggregatorState();
        String emaKey = "ema/" + Ddpm.PART;
        ModelState weights = agg.containsKey(emaKey)
                ? ModelState.builder(cp.round()).part(Ddpm.PART, agg.get(emaKey)).build() : cp.model();
        model.load(weights);
        INDArray heldOut = org.fedgen.models.metrics.DigitsSplit.heldOut().features();
        System.out.printf("checkpoint round %d, %s weights, %d samples%n", cp.round(),
                agg.containsKey(emaKey) ? "EMA" : "global", samples);
        Path dir = checkpoint.toAbsolutePath().getParent();
        for (DiffusionSampler s : new DiffusionSampler[] {new DdimSampler(ddpm.ddimSteps), new AncestralSampler()}) {
            long t0 = System.nanoTime();
            INDArray x = model.sample(samples, seed, s);
            double sec = (System.nanoTime() - t0) / 1e9;
            double mmd = KernelMmd.medianHeuristic().mmd2(x, heldOut);
            String name = s instanceof AncestralSampler ? "ddpm" : "ddim" + ddpm.ddimSteps;
            ImageGrid.write(dir.resolve("ddpm-samples-" + name + ".png"), x.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(64, samples)),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()), 28, 28);
            Digits.writeIdx(dir.resolve("ddpm-samples-" + name + "-idx3-ubyte"), x, 28, 28);
            System.out.printf("%-8s %5d denoiser evaluations  %7.1f s  mmd2 %.5f%n", name,
                    s.evaluations(model.schedule()), sec, mmd);
        }
        return 0;
    }
}
