package org.fedgen.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.fedgen.privacy.GaussianNoise;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Secure (unseeded) Gaussian noise for one million coordinates, as DP-FedAvg adds each round. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SecureNoiseBenchmark {
    private final float[] out = new float[1_000_000];
    private final GaussianNoise noise = GaussianNoise.secure();

    /** Fills the million coordinates. */
    @Benchmark
    public float[] fill() {
        noise.fill(out, 1.0);
        return out;
    }
}
