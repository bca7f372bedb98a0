package org.fedgen.bench.probe;

import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.UNetDenoiser;

/** Not a test: ms per U-Net DDPM training step. Arguments: c1 c2 steps [batch, default 64]. */
public final class UNetTiming {
    private UNetTiming() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) {
        int c1 = Integer.parseInt(args[0]);
        int c2 = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        Dataset digits = Digits.bundled().range(0, 1000);
        Ddpm u = Ddpm.builder(new UNetDenoiser(28, 28, c1, c2, 64, 0)).inputSkip(true).build();
        u.initialize(1);
        FitInstructions warm = FitInstructions.builder().localSteps(2).batchSize(batch).learningRate(1e-3).seed(1).build();
        u.fit(digits, warm, null);
        long t0 = System.nanoTime();
        u.fit(digits, warm.toBuilder().localSteps(steps).build(), null);
        System.out.printf("U-Net %d/%d (%s): %.0f ms/step at batch %d%n", c1, c2, u.denoiser(),
                (System.nanoTime() - t0) / 1e6 / steps, batch);
    }
}
