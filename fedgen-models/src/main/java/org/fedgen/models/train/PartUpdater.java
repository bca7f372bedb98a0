package org.fedgen.models.train;

import java.util.Objects;
import java.util.function.Consumer;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.models.optim.FlatOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The local-training step of one part: the loss gradient the model wrote into its gradient vector, plus SCAFFOLD's
 * correction c − c_i (when the fit has a {@link DriftCorrection} for the part) and the FedProx term, handed to the
 * part's optimiser, so with Adam both terms enter before Adam's moments. {@link #begin} starts a fit (fresh optimiser
 * state, correction and proximal term armed from the instructions and the anchor); {@link #step} is one update. Binds
 * the model's own parameter and gradient vectors; not thread-safe.
 */
public final class PartUpdater {
    private final String part;
    private final INDArray params;
    private final INDArray gradient;
    private final FlatOptimizer optimizer;
    private final ProximalTerm proximal;
    private Consumer<INDArray> observer;
    private DriftCorrection correction;

    /**
     * @param part      the part's name (for the proximal term's messages)
     * @param params    the part's flat parameter vector, updated in place
     * @param gradient  the flat vector the model writes the part's loss gradient into (same length)
     * @param optimizer an optimiser built for that length
     */
    public PartUpdater(String part, INDArray params, INDArray gradient, FlatOptimizer optimizer) {
        this.part = Objects.requireNonNull(part, "part");
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
        begin(instructions, anchor, null);
    }

    /**
     * Starts a fit as {@link #begin(FitInstructions, ModelState)} does, with SCAFFOLD's correction armed when
     * {@code correction} covers this part and the part is trained.
     */
    public void begin(FitInstructions instructions, ModelState anchor, DriftCorrection correction) {
        proximal.prepare(instructions, anchor);
        this.correction = correction != null && correction.covers(part) && instructions.trains(part) ? correction
                : null;
        optimizer.reset();
    }

    /**
     * One update: the raw gradient is recorded and gets + (c − c_i) when a correction is armed, + μ(w − w_t) when the
     * proximal term is, then the optimiser step with this learning rate.
     */
    public void step(double learningRate) {
        if (correction != null) {
            correction.correct(part, gradient);
        }
        proximal.addTo(gradient);
        if (observer != null) {
            observer.accept(gradient);
        }
        optimizer.step(params, gradient, learningRate);
    }

    /**
     * Diagnostic hook: sees the final gradient (with the correction and the proximal term) before every optimiser
     * step; null = none.
     */
    public void observeGradients(Consumer<INDArray> gradientObserver) {
        this.observer = gradientObserver;
    }
}
