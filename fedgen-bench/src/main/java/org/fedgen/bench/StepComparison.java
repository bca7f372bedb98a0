package org.fedgen.bench;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.fedgen.bench.torch.TorchDdpm;
import org.fedgen.bench.torch.TorchGan;
import org.fedgen.bench.torch.TorchStep;
import org.fedgen.bench.torch.TorchVae;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.MlpDenoiser;
import org.fedgen.models.ddpm.NoiseSchedule;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;

/**
 * A local training step (batch 64, forward + backward + Adam) of fedgen's VAE, GAN and DDPM MLP against the same
 * network on libtorch, timed alternately in one process: each repeat times {@code steps} fedgen steps (one
 * {@code fit} call) and then {@code steps} libtorch steps; the result is the median per-step time of each.
 */
final class StepComparison {
    /**
     * Per-step medians in milliseconds: CPU time of the timing thread (which runs all the native work with one
     * thread, so other processes' load does not count) and wall time; {@code processCpuShare} is the process's CPU
     * time over the thread's in the timed work (near 1 when nothing ran on other threads).
     */
    record Result(String model, double fedgenCpuMs, double torchCpuMs, double fedgenWallMs, double torchWallMs,
            double processCpuShare) {
        /** fedgen / libtorch CPU time per step. */
        double ratio() {
            return fedgenCpuMs / torchCpuMs;
        }

        /** fedgen / libtorch wall time per step. */
        double wallRatio() {
            return fedgenWallMs / torchWallMs;
        }
    }

    private static final int BATCH = 64;
    private final Dataset data = Digits.bundled().range(0, 2000);
    private final float[] features = data.features().dup('c').data().asFloat();
    private final int steps;
    private final int repeats;

    StepComparison(int steps, int repeats) {
        this.steps = steps;
        this.repeats = repeats;
    }

    Result vae() {
        VaeConfig c = VaeConfig.builder().build();
        Vae vae = new Vae(c);
        vae.initialize(1);
        FitInstructions ins = FitInstructions.builder().localSteps(steps).batchSize(BATCH).seed(7).build();
        try (TorchStep torch = new TorchVae(features, data.size(), c.inputDim(), c.hiddenDim(), c.latentDim(), BATCH,
                7)) {
            return compare("VAE " + c.inputDim() + "-" + c.hiddenDim() + "-" + c.latentDim(),
                    r -> vae.fit(data, ins.toBuilder().seed(r).build(), null), torch);
        }
    }

    Result gan() {
        GanConfig c = GanConfig.builder().build();
        Gan gan = new Gan(c);
        ModelState init = gan.initialize(1);
        FitInstructions ins = FitInstructions.builder().localSteps(steps).batchSize(BATCH).learningRate(2e-4).seed(1)
                .build();
        int[] g = widths(c.latentDim(), c.generatorHidden(), c.dataDim());
        int[] d = widths(c.dataDim(), c.discriminatorHidden(), 1);
        try (TorchStep torch = new TorchGan(features, data.size(), g, d, BATCH, 1)) {
            return compare("GAN G " + Arrays.toString(g) + " D " + Arrays.toString(d), r -> {
                        gan.load(init);
                        gan.fit(data, ins.toBuilder().seed(r).build(), null);
                    }, torch);
        }
    }

    Result ddpm() {
        Ddpm ddpm = Ddpm.builder(MlpDenoiser.forDigits(0, NoiseSchedule.linear(Ddpm.DEFAULT_STEPS))).build();
        ddpm.initialize(1);
        FitInstructions ins = FitInstructions.builder().localSteps(steps).batchSize(BATCH).learningRate(1e-3).seed(1)
                .build();
        try (TorchStep torch = new TorchDdpm(features, data.size(), 784, new int[] {512, 512}, 128,
                Ddpm.DEFAULT_STEPS, BATCH, 1)) {
            return compare("DDPM MLP " + ddpm.denoiser(), r -> ddpm.fit(data, ins.toBuilder().seed(r).build(), null),
                    torch);
        }
    }

    private static int[] widths(int in, int[] hidden, int out) {
        int[] w = new int[hidden.length + 2];
        w[0] = in;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = out;
        return w;
    }

    private Result compare(String name, IntConsumer fedgenFit, TorchStep torch) {
        fedgenFit.accept(0);
        torch.run(steps);
        CpuClock fedgen = new CpuClock(repeats);
        CpuClock libtorch = new CpuClock(repeats);
        for (int r = 0; r < repeats; r++) {
            int seed = r + 1;
            fedgen.time(r, () -> fedgenFit.accept(seed), steps);
            libtorch.time(r, () -> torch.run(steps), steps);
        }
        return new Result(name, fedgen.medianCpu(), libtorch.medianCpu(), fedgen.medianWall(), libtorch.medianWall(),
                (fedgen.processCpu + libtorch.processCpu) / (fedgen.threadCpu + libtorch.threadCpu));
    }
}
