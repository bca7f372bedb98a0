package org.fedgen.examples.cli;

import java.lang.reflect.Field;
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
import org.fedgen.runs.DdpmSettings;
import org.fedgen.runs.RunConfig;
import org.fedgen.runs.RunProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedgen ddpm-sample}: loads a DDPM run's checkpoint (its EMA weights when the checkpoint holds them), with the
 * DDPM settings the checkpoint records (a DDPM option given that contradicts them is refused naming both values;
 * the sampling options {@code --ddim-steps}, {@code --guidance}, {@code --guidance-interval} and
 * {@code --guidance-schedule} override them freely; a checkpoint of format 1 needs the run's options) and draws
 * samples with both the ancestral DDPM sampler and DDIM, printing the time of each and the kernel MMD² against the
 * 1 000 held-out digits, and writing a grid and an IDX file per sampler (score the IDX files with {@code fedgen eval}).
 */
@Command(name = "ddpm-sample", mixinStandardHelpOptions = true,
        description = {"Samples a trained DDPM checkpoint with the ancestral (DDPM) and DDIM samplers; prints the time",
            "and the MMD against the held-out digits of each, writes ddpm-samples-<sampler>.png next to it."})
public final class DdpmSampleCommand implements Callable<Integer> {
    /** Options that change only how samples are drawn, not the trained network, so they may differ from the run's. */
    private static final java.util.Set<String> SAMPLING_ONLY = java.util.Set.of("ddimSteps", "guidance",
            "guidanceInterval", "guidanceSchedule");

    @Mixin
    DdpmOptions ddpm = new DdpmOptions();

    @Option(names = "--conditional", description = "The checkpoint is of a class-conditional DDPM.")
    void conditional(boolean value) {
        ddpm.conditional = value;
    }

    @Option(names = "--checkpoint", required = true, description = "checkpoint.fgs of a --model ddpm run (its "
            + "settings are read from it).")
    Path checkpoint;

    @Option(names = "--samples", description = "Samples per sampler (default: ${DEFAULT-VALUE}).")
    int samples = 1000;

    @Option(names = "--seed", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed = 7;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DdpmSettings given = ddpm.toSettings();
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        Checkpoint cp = CheckpointFile.read(checkpoint);
        try {
            cp.requireFinite();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
        }
        DdpmSettings settings = cp.provenance().isEmpty() ? given : withSamplingOptions(recorded(cp));
        Ddpm model = DdpmModels.newModel(settings);
        int ddimSteps = spec.commandLine().getParseResult().hasMatchedOption("--ddim-steps") ? ddpm.ddimSteps
                : settings.ddimSteps();
        Map<String, INDArray> agg = cp.aggregatorState();
        String emaKey = "ema/" + Ddpm.PART;
        ModelState weights = agg.containsKey(emaKey)
                ? ModelState.builder(cp.round()).part(Ddpm.PART, agg.get(emaKey)).build() : cp.model();
        model.load(weights);
        INDArray heldOut = org.fedgen.models.metrics.DigitsSplit.heldOut().features();
        System.out.printf("checkpoint round %d, %s weights, %d samples%n", cp.round(),
                agg.containsKey(emaKey) ? "EMA" : "global", samples);
        Path dir = checkpoint.toAbsolutePath().getParent();
        for (DiffusionSampler s : new DiffusionSampler[] {new DdimSampler(ddimSteps), new AncestralSampler()}) {
            long t0 = System.nanoTime();
            INDArray x = model.sample(samples, seed, s);
            double sec = (System.nanoTime() - t0) / 1e9;
            double mmd = KernelMmd.medianHeuristic().mmd2(x, heldOut);
            String name = s instanceof AncestralSampler ? "ddpm" : "ddim" + ddimSteps;
            ImageGrid.write(dir.resolve("ddpm-samples-" + name + ".png"), x.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(64, samples)),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()), 28, 28);
            Digits.writeIdx(dir.resolve("ddpm-samples-" + name + "-idx3-ubyte"), x, 28, 28);
            System.out.printf("%-8s %5d denoiser evaluations  %7.1f s  mmd2 %.5f%n", name,
                    s.evaluations(model.schedule()), sec, mmd);
        }
        return 0;
    }

    /**
     * The checkpoint's DDPM settings, after checking every DDPM option given on the command line against them.
     *
     * @throws IllegalArgumentException if the checkpoint is not of a DDPM run, or naming the option and the recorded
     *                                  value it contradicts
     */
    private DdpmSettings recorded(Checkpoint cp) throws ReflectiveOperationException {
        RunConfig run = RunProvenance.fromJson(cp.provenance(), checkpoint.toString()).config();
        if (!(run.model() instanceof DdpmSettings d)) {
            throw new IllegalArgumentException(checkpoint + " is of a " + run.model().family()
                    + " run; use fedgen sample");
        }
        if (run.images() != null) {
            throw new IllegalArgumentException(checkpoint + " is of a run on its own images, and this command scores "
                    + "samples against the bundled digits; use fedgen sample");
        }
        if (run.table() != null) {
            throw new IllegalArgumentException(checkpoint + " is of a run on the table " + run.table().data()
                    + ", whose samples are rows; use fedgen sample");
        }
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (o.longestName().equals("--conditional") && !d.conditional()) {
                throw new IllegalArgumentException("--conditional contradicts the checkpoint's conditional false ("
                        + checkpoint + ")");
            }
            if (!(o.userObject() instanceof Field f) || f.getDeclaringClass() != DdpmOptions.class
                    || SAMPLING_ONLY.contains(f.getName())) {
                continue;
            }
            Object given = f.get(ddpm);
            Object has = DdpmSettings.class.getMethod(f.getName()).invoke(d);
            if (!java.util.Objects.deepEquals(given, has)) {
                throw new IllegalArgumentException(o.longestName() + " " + show(given) + " contradicts the "
                        + "checkpoint's " + f.getName() + " " + show(has) + " (" + checkpoint + ")");
            }
        }
        return d;
    }

    /** The recorded settings with the sampling-only options given on the command line in place of theirs. */
    private DdpmSettings withSamplingOptions(DdpmSettings d) {
        var parse = spec.commandLine().getParseResult();
        return DdpmSettings.builder().denoiser(d.denoiser()).mlpWidth(d.mlpWidth()).mlpDepth(d.mlpDepth())
                .unetChannels(d.unetChannels()).schedule(d.schedule()).timesteps(d.timesteps()).sampler(d.sampler())
                .ddimSteps(d.ddimSteps()).minSnrGamma(d.minSnrGamma()).emaDecay(d.emaDecay())
                .labelDropout(d.labelDropout())
                .guidance(parse.hasMatchedOption("--guidance") ? ddpm.guidance : d.guidance())
                .guidanceInterval(parse.hasMatchedOption("--guidance-interval") ? ddpm.guidanceInterval
                        : d.guidanceInterval())
                .guidanceSchedule(parse.hasMatchedOption("--guidance-schedule") ? ddpm.guidanceSchedule
                        : d.guidanceSchedule())
                .conditional(d.conditional()).build();
    }

    private static String show(Object v) {
        return v instanceof int[] a ? java.util.Arrays.stream(a).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(",")) : String.valueOf(v);
    }
}
