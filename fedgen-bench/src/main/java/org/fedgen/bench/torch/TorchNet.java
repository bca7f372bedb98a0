package org.fedgen.bench.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * What the libtorch networks share: a manager holding the parameters and the data, seeded uniform initialisation,
 * batch index draws and the step loop (a sub-manager per step frees every temporary; gradients are zeroed by the
 * collector). Subclasses give the loss of one step.
 */
abstract class TorchNet implements TorchStep {
    final NDManager manager;
    final NDArray data;
    final int batch;
    private final SplittableRandom rng;
    private final List<NDArray> params = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final List<Optimizer> optimizers = new ArrayList<>();

    TorchNet(float[] features, int rows, int cols, int batch, long seed) {
        this.manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
        this.data = manager.create(features, new Shape(rows, cols));
        this.batch = batch;
        this.rng = new SplittableRandom(seed);
    }

    /** A [in, out] weight matrix U(-a, a), a = sqrt(6 / fanIn), trained by the optimizer of {@code group}. */
    NDArray weight(int group, long in, long out) {
        NDArray w = manager.randomUniform((float) -Math.sqrt(6.0 / in), (float) Math.sqrt(6.0 / in),
                new Shape(in, out), DataType.FLOAT32);
        return register(group, w);
    }

    /** A zero bias [out] of optimizer {@code group}. */
    NDArray bias(int group, long out) {
        return register(group, manager.zeros(new Shape(out), DataType.FLOAT32));
    }

    /** A parameter of the given initial values. */
    NDArray register(int group, NDArray p) {
        p.setRequiresGradient(true);
        params.add(p);
        ids.add(group + "/" + params.size());
        while (optimizers.size() <= group) {
            optimizers.add(null);
        }
        return p;
    }

    /** Sets the Adam optimizer of a parameter group (before the first step). */
    void adam(int group, float lr, float beta1, float beta2, float eps) {
        while (optimizers.size() <= group) {
            optimizers.add(null);
        }
        optimizers.set(group, Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).optBeta1(beta1)
                .optBeta2(beta2).optEpsilon(eps).build());
    }

    /** A batch of example rows drawn uniformly with replacement, in the step's manager. */
    NDArray batchOf(NDManager step) {
        long[] idx = new long[batch];
        for (int i = 0; i < batch; i++) {
            idx[i] = rng.nextInt((int) data.getShape().get(0));
        }
        return owned(step, data.get(step.create(idx)));
    }

    /** Moves an array made from a long-lived operand (whose manager it joined) to the step's manager. */
    static NDArray owned(NDManager step, NDArray a) {
        a.attach(step);
        return a;
    }

    /** Draws uniform integers in [0, bound) as a long array. */
    long[] ints(int n, int bound) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextInt(bound);
        }
        return out;
    }

    /** One backward pass of {@code loss} and an Adam step of the groups listed; returns the loss value. */
    float optimize(NDManager step, Function<NDManager, NDArray> loss, int... groups) {
        float value;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.zeroGradients();
            NDArray l = loss.apply(step);
            gc.backward(l);
            value = l.getFloat();
        }
        for (int g : groups) {
            for (int i = 0; i < params.size(); i++) {
                if (ids.get(i).startsWith(g + "/")) {
                    NDArray p = params.get(i);
                    try (NDArray grad = p.getGradient()) {
                        optimizers.get(g).update(ids.get(i), p, grad);
                    }
                }
            }
        }
        return value;
    }

    /** One training step whose temporaries live in {@code step}. */
    abstract float step(NDManager step);

    @Override
    public float run(int steps) {
        float last = 0;
        for (int s = 0; s < steps; s++) {
            try (NDManager step = manager.newSubManager()) {
                last = step(step);
            }
        }
        return last;
    }

    @Override
    public void close() {
        manager.close();
    }
}
