package org.fedgen.bench.probe;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;

/**
 * Not a test: measures the time of one Adam step of the 784-400-20 VAE at batch 64. Run with OMP_NUM_THREADS=1 after
 * {@code mvn -B -q package -DskipTests -pl fedgen-bench -am}:
 * {@code java -cp fedgen-bench/target/fedgen-bench.jar org.fedgen.bench.probe.VaeStepBenchmark [steps] [repeats]}.
 */
public final class VaeStepBenchmark {
    private VaeStepBenchmark() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Dataset data = Digits.bundled().range(0, 2000);
        Vae vae = new Vae(VaeConfig.builder().build());
        vae.initialize(1);
        FitInstructions warm = FitInstructions.builder().localSteps(50).batchSize(64).seed(7).build();
        vae.fit(data, warm, null);
        FitInstructions timed = warm.toBuilder().localSteps(steps).build();
        // Thread CPU time is reported too: on a shared machine it is less disturbed by other processes than wall time.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Map<String, Double> m = vae.fit(data, timed, null);
            double ms = (System.nanoTime() - t0) / 1e6 / steps;
            double cpuMs = (threads.getCurrentThreadCpuTime() - c0) / 1e6 / steps;
            best = Math.min(best, ms);
            bestCpu = Math.min(bestCpu, cpuMs);
            System.out.printf("repeat %d: %.3f ms/step wall, %.3f ms/step cpu, loss %.2f%n", r, ms, cpuMs,
                    m.get("loss"));
        }
        System.out.printf("best: %.3f ms/step wall, %.3f ms/step cpu (batch 64, 784-400-20, Adam)%n", best, bestCpu);
        System.out.println("eval: " + vae.evaluate(Digits.bundled().range(2000, 3000), 3));
    }
}
