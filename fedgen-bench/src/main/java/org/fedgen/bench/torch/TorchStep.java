package org.fedgen.bench.torch;

/** One local training step of a network on libtorch (batch gathering, forward, backward, Adam), repeatable. */
public interface TorchStep extends AutoCloseable {
    /** Runs {@code steps} training steps; returns the loss of the last one (so the work cannot be skipped). */
    float run(int steps);

    /** Releases the native arrays. */
    @Override
    void close();
}
