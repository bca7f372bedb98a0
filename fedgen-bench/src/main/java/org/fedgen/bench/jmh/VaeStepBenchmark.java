package org.fedgen.bench.jmh;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Local steps of the default 784-400-20 VAE at batch 64 (forward, backward, Adam), 20 per {@code fit}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VaeStepBenchmark {
    private static final int STEPS = 20;
    private Vae vae;
    private Dataset data;
    private FitInstructions instructions;

    /** A VAE initialised from seed 1 and 2 000 digits. */
    @Setup
    public void setUp() {
        data = Digits.bundled().range(0, 2000);
        vae = new Vae(VaeConfig.builder().build());
        vae.initialize(1);
        instructions = FitInstructions.builder().localSteps(STEPS).batchSize(64).seed(7).build();
    }

    /** One fit of {@value #STEPS} steps; scores are per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Map<String, Double> step() {
        return vae.fit(data, instructions, null);
    }
}
