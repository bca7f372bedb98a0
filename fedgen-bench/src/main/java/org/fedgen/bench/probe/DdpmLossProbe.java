package org.fedgen.bench.probe;

import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.ddpm.Activation;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.MlpDenoiser;
import org.fedgen.models.ddpm.NoiseSchedule;

/**
 * Not a test: prints the evaluation ε-loss of the MLP DDPM as centralised training proceeds, and the time per step.
 * Arguments: T lr hundreds-of-steps width depth batch skip(true|false).
 */
public final class DdpmLossProbe {
    private DdpmLossProbe() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) {
        Dataset digits = Digits.bundled();
        Dataset eval = digits.range(7000, 7512);
        Dataset train = digits.range(0, 7000);
        int w = Integer.parseInt(args[3]);
        int depth = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]);
        int[] hidden = new int[depth];
        java.util.Arrays.fill(hidden, w);
        NoiseSchedule schedule = NoiseSchedule.linear(Integer.parseInt(args[0]));
        boolean skip = Boolean.parseBoolean(args[6]);
        Ddpm model = Ddpm.builder(new MlpDenoiser(784, hidden, 128, 0, Activation.SILU, skip ? schedule : null))
                .schedule(schedule).build();
        model.initialize(1);
        double lr = Double.parseDouble(args[1]);
        System.out.printf("%s init eval loss %.4f%n", model.denoiser(), model.evaluate(eval, 5).get("loss"));
        for (int r = 0; r < Integer.parseInt(args[2]); r++) {
            FitInstructions ins = FitInstructions.builder().localSteps(100).batchSize(batch).learningRate(lr).seed(r)
                    .build();
            long t0 = System.nanoTime();
            double fitLoss = model.fit(train, ins, null).get("loss");
            double ms = (System.nanoTime() - t0) / 1e8;
            System.out.printf("after %d steps: fit loss %.4f eval loss %.4f  %.1f ms/step%n", (r + 1) * 100, fitLoss,
                    model.evaluate(eval, 5).get("loss"), ms);
        }
        if (args.length > 7) {
            try {
                org.fedgen.models.image.ImageGrid.write(java.nio.file.Path.of(args[7]), model.sample(64, 9), 28, 28);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
