package org.fedgen.models.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.function.Supplier;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.dpsgd.RecordDp;
import org.fedgen.models.dpsgd.TestNoise;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;

/**
 * Not a test: the time of a private (DP-SGD, ghost-norm clipping) step against a non-private step, in one run, for
 * the 784-400-20 VAE and the GAN discriminator (WGAN-GP and BCE, digits layers), batch B = 64 of 2000 records
 * (Poisson q = 64/2000 for the private step). Repeats alternate private and non-private fits and keep the best
 * thread-CPU time of each. The noise comes from ND4J's native Gaussian (a real run uses the ChaCha20 Gaussian of
 * fedgen-privacy; its cost is measured separately in docs/record-level-dp.md). Run with OMP_NUM_THREADS=1 after
 * {@code mvn -o -q -pl fedgen-models -am test-compile}:
 * {@code java -cp <test classpath> org.fedgen.models.bench.DpSgdStepBenchmark [steps] [repeats]}.
 */
public final class DpSgdStepBenchmark {
    private DpSgdStepBenchmark() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Dataset data = Digits.bundled().range(0, 2000);
        RecordDp dp = RecordDp.builder(1.0, 1.0).noise(TestNoise::seeded).build();
        // sigma = 0 skips the noise: the cost of the per-example clipping alone
        RecordDp clipOnly = RecordDp.builder(0.0, 1.0).noise(TestNoise::seeded).build();
        FitInstructions vaeSteps = FitInstructions.builder().localSteps(steps).batchSize(64).seed(7).build();
        compare("VAE 784-400-20", () -> new Vae(VaeConfig.builder().build()),
                m -> ((Vae) m).privately(dp), data, vaeSteps, repeats);
        compare("VAE 784-400-20 clipping only", () -> new Vae(VaeConfig.builder().build()),
                m -> ((Vae) m).privately(clipOnly), data, vaeSteps, repeats);
        for (GanLoss loss : GanLoss.values()) {
            // the layers of the CLI's digits GAN (GanRecipe)
            GanConfig c = GanConfig.builder().latentDim(64).generatorHidden(256, 512).discriminatorHidden(256, 128)
                    .loss(loss).criticSteps(1).build();
            FitInstructions dSteps = FitInstructions.builder().localSteps(steps).batchSize(64).learningRate(2e-4)
                    .seed(7).trainParts(Set.of(Gan.DISCRIMINATOR)).build();
            compare("GAN discriminator " + loss, () -> new Gan(c), m -> ((Gan) m).privately(dp), data, dSteps,
                    repeats);
            compare("GAN discriminator " + loss + " clipping only", () -> new Gan(c),
                    m -> ((Gan) m).privately(clipOnly), data, dSteps, repeats);
        }
    }

    private static void compare(String what, Supplier<TrainableModel> make,
            java.util.function.Consumer<TrainableModel> privatize, Dataset data, FitInstructions ins, int repeats) {
        TrainableModel plain = make.get();
        ModelState init = plain.initialize(1);
        TrainableModel priv = make.get();
        priv.load(init);
        privatize.accept(priv);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double bestPlain = Double.MAX_VALUE;
        double bestPriv = Double.MAX_VALUE;
        for (int r = 0; r <= repeats; r++) {
            double p = cpuMsPerStep(plain, init, data, ins, threads);
            double q = cpuMsPerStep(priv, init, data, ins, threads);
            if (r > 0) {
                // repeat 0 warms up buffers and the JIT
                bestPlain = Math.min(bestPlain, p);
                bestPriv = Math.min(bestPriv, q);
            }
        }
        System.out.printf("%s: non-private %.3f ms/step, private %.3f ms/step, ratio %.2f (best thread-CPU of %d"
                + " repeats, %d steps each)%n", what, bestPlain, bestPriv, bestPriv / bestPlain, repeats,
                ins.localSteps());
    }

    private static double cpuMsPerStep(TrainableModel m, ModelState init, Dataset data, FitInstructions ins,
            ThreadMXBean threads) {
        m.load(init);
        long c0 = threads.getCurrentThreadCpuTime();
        m.fit(data, ins, init);
        return (threads.getCurrentThreadCpuTime() - c0) / 1e6 / ins.localSteps();
    }
}
