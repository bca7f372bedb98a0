package org.fedgen.bench.probe;

import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.gan.GanLoss;

/**
 * Manual measurement (not a test): wall time of one D+G iteration at batch 64 with the default architecture. Run with
 * the bench class path: {@code java -cp ... org.fedgen.bench.probe.GanStepTiming [loss]}.
 */
public final class GanStepTiming {
    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private GanStepTiming() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) {
        GanLoss loss = args.length > 0 ? GanLoss.valueOf(args[0]) : GanLoss.NON_SATURATING_BCE;
        Dataset digits = Digits.bundled().range(0, 2000);
        Gan gan = new Gan(GanConfig.builder().loss(loss).build());
        ModelState init = gan.initialize(1);
        int steps = 50;
        FitInstructions ins = FitInstructions.builder().localSteps(steps).batchSize(64).learningRate(2e-4).seed(1)
                .build();
        for (int warm = 0; warm < 2; warm++) {
            gan.load(init);
            gan.fit(digits, ins, init);
        }
        for (int rep = 0; rep < 3; rep++) {
            gan.load(init);
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            gan.fit(digits, ins, init);
            double cpu = (CPU.getCurrentThreadCpuTime() - c0) / 1e6 / steps;
            double ms = (System.nanoTime() - t0) / 1e6 / steps;
            // with OMP_NUM_THREADS=1 all native work runs on this thread, so CPU time excludes waiting for a core
            System.out.printf("%s: %.2f ms wall, %.2f ms CPU per D+G iteration (batch 64)%n", loss, ms, cpu);
        }
    }
}
