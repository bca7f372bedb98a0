package org.fedgen.models.train;

import java.util.Objects;
import java.util.function.Consumer;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.models.optim.FlatOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The local-training step of one part: the loss gradient the model wrote into its gradient vector, plus the FedProx
 * term, handed to the part's optimiser. {@link #begin} starts a fit (fresh optimiser state, proximal term armed from
 * the instructions and the anchor); {@link #step} is one update. Binds the model's own parameter and gradient vectors;
 * not thread-safe.
 */
public final class PartUpdater {
    private final INDArray params;
    private final INDArray gradient;
    private final FlatOptimizer optimizer;
    private final ProximalTerm proximal;
    private Consumer<INDArray> observer;

    /**
     * @param part      the part's name (for the proximal term's messages)
     * @param params    the part's flat parameter vector, updated in place
     * @param gradient  the flat vector the model writes the part's loss gradient into (same length)
     * @param optimizer an optimiser built for that length
     */
    public PartUpdater(String part, INDArray params, INDArray gradient, FlatOptimizer optimizer) {
        this.params = Objects.requireNonNull(params, "params");
        this.gradient = Objects.requireNonNull(gradient, "gradient");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.proximal = new ProximalTerm(part, params);
    }

    /**
     * Starts a fit: resets the optimiser and arms the proximal term (see {@link ProximalTerm#prepare}).
     *
     * @throws IllegalArgumentException if μ &gt; 0 and the anchor does not hold this part at the right length
     */
    public void begin(FitInstructions instructions, ModelState anchor) {
        proximal.prepare(instructions, anchor);
        optimizer.reset();
    }

    /** One update: gradient += μ(w − w_t) when armed, then the optimiser step with this learning rate. */
    public void step(double learningRate) {
        proximal.addTo(gradient);
        if (observer != null) {
            observer.accept(gradient);
        }
        optimizer.step(params, gradient, learningRate);
    }

    /** Diagnostic hook: sees the final gradient (with the proximal term) before every optimiser step; null = none. */
    public void observeGradients(Consumer<INDArray> gradientObserver) {
        this.observer = gradientObserver;
    }
}
