package org.fedgen.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.fedgen.models.optim.FlatAdam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One {@link FlatAdam} step over a vector the size of the VAE encoder (the gradient is refreshed each time). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdamBenchmark {
    /** Vector length (the 784-400-20 VAE encoder). */
    @Param({"330040"})
    public int length;

    private FlatAdam adam;
    private INDArray params;
    private INDArray grad;
    private INDArray source;

    /** Random parameters and gradient. */
    @Setup
    public void setUp() {
        adam = new FlatAdam(length, 0.9, 0.999, 1e-8);
        params = Nd4j.rand(DataType.FLOAT, length);
        grad = Nd4j.create(DataType.FLOAT, length);
        source = Nd4j.rand(DataType.FLOAT, length).subi(0.5);
    }

    /** Restores the gradient (the step uses it as scratch) and takes one step. */
    @Benchmark
    public INDArray step() {
        grad.assign(source);
        adam.step(params, grad, 1e-3);
        return params;
    }
}
