package org.fedgen.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.dpsgd.RecordDp;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.gan.GanLoss;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.fedgen.privacy.GaussianNoise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A record-level private local step (DP-SGD: Poisson batches at q = 64/2000, ghost-norm per-example clipping, the
 * secure Gaussian of fedgen-privacy) against the non-private step, timed alternately in one run, for the 784-400-20
 * VAE and the GAN discriminator of the CLI's digits GAN (WGAN-GP with its per-example penalty, and BCE). Each repeat
 * times one fit of {@code steps} steps of the plain model, the private model, the private model at σ = 0 (the
 * clipping alone) and {@code steps} secure noise calls on the protected parameters (the noise alone); the first
 * repeat warms up and is dropped, and each result is the best thread-CPU time of the others (with single-threaded
 * ND4J all work runs on the timing thread, so thread CPU is what the step costs, and the best repeat the least
 * disturbed by other processes).
 */
final class DpStepComparison {
    /** Per-step best thread-CPU milliseconds, and the number of noised coordinates per step. */
    record Result(String model, double plainMs, double privateMs, double clipOnlyMs, double noiseOnlyMs,
            long coordinates) {
        /** Private over plain. */
        double ratio() {
            return privateMs / plainMs;
        }

        /** Clipping alone (σ = 0) over plain. */
        double clipRatio() {
            return clipOnlyMs / plainMs;
        }

        /** The secure noise per coordinate, in nanoseconds. */
        double noiseNsPerCoordinate() {
            return noiseOnlyMs * 1e6 / coordinates;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int BATCH = 64;
    private final Dataset data = Digits.bundled().range(0, 2000);
    private final int steps;
    private final int repeats;
    private final RecordDp dp = RecordDp.builder(1.0, 1.0).noise(seed -> GaussianNoise.secure()::addTo).build();
    // σ = 0 skips the noise: the cost of the per-example clipping alone
    private final RecordDp clipOnly = RecordDp.builder(0.0, 1.0).noise(seed -> GaussianNoise.secure()::addTo)
            .build();

    DpStepComparison(int steps, int repeats) {
        this.steps = steps;
        this.repeats = repeats;
    }

    Result vae() {
        FitInstructions ins = FitInstructions.builder().localSteps(steps).batchSize(BATCH).seed(7).build();
        VaeConfig c = VaeConfig.builder().build();
        return compare("VAE " + c.inputDim() + "-" + c.hiddenDim() + "-" + c.latentDim(), () -> new Vae(c),
                d -> m -> ((Vae) m).privately(d), ins, Set.of(Vae.ENCODER, Vae.DECODER));
    }

    Result discriminator(GanLoss loss) {
        // the layers of the CLI's digits GAN (GanRecipe), one critic step per fit step
        GanConfig c = GanConfig.builder().latentDim(64).generatorHidden(256, 512).discriminatorHidden(256, 128)
                .loss(loss).criticSteps(1).build();
        FitInstructions ins = FitInstructions.builder().localSteps(steps).batchSize(BATCH).learningRate(2e-4)
                .seed(7).trainParts(Set.of(Gan.DISCRIMINATOR)).build();
        return compare("GAN discriminator 784-256-128-1 " + loss, () -> new Gan(c),
                d -> m -> ((Gan) m).privately(d), ins, Set.of(Gan.DISCRIMINATOR));
    }

    private Result compare(String what, java.util.function.Supplier<TrainableModel> make,
            java.util.function.Function<RecordDp, UnaryOperator<TrainableModel>> privately, FitInstructions ins,
            Set<String> protectedParts) {
        TrainableModel plain = make.get();
        ModelState init = plain.initialize(1);
        TrainableModel priv = privately.apply(dp).apply(loaded(make.get(), init));
        TrainableModel clip = privately.apply(clipOnly).apply(loaded(make.get(), init));
        long coordinates = protectedParts.stream().mapToLong(p -> init.part(p).length()).sum();
        INDArray gradient = Nd4j.zeros(DataType.FLOAT, coordinates);
        double bestPlain = Double.MAX_VALUE;
        double bestPriv = Double.MAX_VALUE;
        double bestClip = Double.MAX_VALUE;
        double bestNoise = Double.MAX_VALUE;
        for (int r = 0; r <= repeats; r++) {
            double p = fitMs(plain, init, ins);
            double q = fitMs(priv, init, ins);
            double c = fitMs(clip, init, ins);
            double n = noiseMs(gradient);
            if (r > 0) {
                bestPlain = Math.min(bestPlain, p);
                bestPriv = Math.min(bestPriv, q);
                bestClip = Math.min(bestClip, c);
                bestNoise = Math.min(bestNoise, n);
            }
        }
        return new Result(what, bestPlain, bestPriv, bestClip, bestNoise, coordinates);
    }

    private static TrainableModel loaded(TrainableModel m, ModelState init) {
        m.load(init);
        return m;
    }

    private double fitMs(TrainableModel m, ModelState init, FitInstructions ins) {
        m.load(init);
        long c0 = THREADS.getCurrentThreadCpuTime();
        m.fit(data, ins, init);
        return (THREADS.getCurrentThreadCpuTime() - c0) / 1e6 / steps;
    }

    /** One secure generator per repeat, as each private fit makes one; the noise of {@code steps} steps. */
    private double noiseMs(INDArray gradient) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        GaussianNoise noise = GaussianNoise.secure();
        for (int s = 0; s < steps; s++) {
            noise.addTo(gradient, 1.0);
        }
        double ms = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6 / steps;
        gradient.assign(0);
        return ms;
    }
}
