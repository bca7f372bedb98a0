package org.fedgen.bench.probe;

import java.util.Map;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.ddpm.AncestralSampler;
import org.fedgen.models.ddpm.DdimSampler;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.MlpDenoiser;
import org.fedgen.models.ddpm.NoiseSchedule;
import org.fedgen.models.ddpm.UNetDenoiser;

/**
 * Not a test: measures the MLP DDPM's training step at batch 64 and the sampling time of ancestral DDPM vs DDIM(50)
 * for 100 samples. Run with the bench class path: {@code java -cp ... org.fedgen.bench.probe.DdpmTiming [steps]}.
 */
public final class DdpmTiming {
    private DdpmTiming() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Dataset digits = Digits.bundled();
        Ddpm model = Ddpm.builder(MlpDenoiser.forDigits(0, NoiseSchedule.linear(Ddpm.DEFAULT_STEPS))).build();
        model.initialize(1);
        FitInstructions warm = FitInstructions.builder().localSteps(20).batchSize(64).learningRate(1e-3).seed(1)
                .build();
        model.fit(digits, warm, null);
        FitInstructions run = warm.toBuilder().localSteps(steps).seed(2).build();
        long t0 = System.nanoTime();
        Map<String, Double> m = model.fit(digits, run, null);
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf("MLP DDPM (%s): %.2f ms/step at batch 64, loss %.4f over %d steps%n",
                model.denoiser(), ms, m.get("loss"), steps);
        for (int tSteps : new int[] {1000, 500}) {
            Ddpm d = Ddpm.builder(model.denoiser()).schedule(NoiseSchedule.linear(tSteps)).build();
            d.sample(10, 0, new DdimSampler(10));
            t0 = System.nanoTime();
            d.sample(100, 3, new AncestralSampler());
            double anc = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            d.sample(100, 3, new DdimSampler(50));
            double ddim = (System.nanoTime() - t0) / 1e6;
            System.out.printf("100 samples, T=%d: ancestral %.0f ms, DDIM(50) %.0f ms%n", tSteps, anc, ddim);
        }
        if (args.length > 1) {
            Ddpm u = Ddpm.builder(UNetDenoiser.forDigits(0)).build();
            u.initialize(1);
            u.fit(digits, warm.toBuilder().localSteps(2).build(), null);
            int us = Integer.parseInt(args[1]);
            t0 = System.nanoTime();
            u.fit(digits, warm.toBuilder().localSteps(us).build(), null);
            System.out.printf("U-Net DDPM (%s): %.1f ms/step at batch 64%n", u.denoiser(),
                    (System.nanoTime() - t0) / 1e6 / us);
            t0 = System.nanoTime();
            u.sample(100, 3, new DdimSampler(50));
            System.out.printf("U-Net 100 samples DDIM(50): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        }
    }
}
