package org.fedgen.models.train;

import java.util.Objects;
import org.fedgen.core.FitInstructions;

/**
 * How long one local fit runs: the minibatch size min(B, n) and the number of optimiser steps, from the instructions
 * and the number of local examples n.
 *
 * <p>Steps are {@link FitInstructions#localSteps()} when positive, otherwise ⌈E · ⌈n / b⌉ / k⌉ for E local epochs and
 * k minibatches per step (k = 1 for one minibatch per step; a GAN iteration takes n_critic discriminator batches), so
 * the minibatches of the fit cover the local data E times. A plan of zero steps is refused: a fit that cannot train is
 * a configuration error, not an empty update.
 *
 * @param batchSize minibatch size, min(B, n) ≥ 1
 * @param steps     optimiser steps (or iterations) of the fit, ≥ 1
 */
public record StepPlan(int batchSize, long steps) {

    /** Checks the values; use {@link #of} to derive them from instructions. */
    public StepPlan {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }

    /** One minibatch per step. */
    public static StepPlan of(FitInstructions instructions, int examples) {
        return of(instructions, examples, 1);
    }

    /**
     * @param examples       n, the local examples (≥ 1)
     * @param batchesPerStep k, minibatches one step consumes (≥ 1); only used in epochs mode
     * @throws IllegalArgumentException if n or k is below 1, or the instructions ask for neither steps nor epochs
     */
    public static StepPlan of(FitInstructions instructions, int examples, int batchesPerStep) {
        Objects.requireNonNull(instructions, "instructions");
        if (examples < 1) {
            throw new IllegalArgumentException("a fit needs at least one example, got " + examples);
        }
        if (batchesPerStep < 1) {
            throw new IllegalArgumentException("batchesPerStep must be >= 1, got " + batchesPerStep);
        }
        int batch = Math.min(instructions.batchSize(), examples);
        long steps = instructions.localSteps() > 0 ? instructions.localSteps()
                : (instructions.localEpochs() * batchesPerEpoch(examples, batch) + batchesPerStep - 1)
                        / batchesPerStep;
        if (steps == 0) {
            throw new IllegalArgumentException("fit needs localSteps > 0 or localEpochs > 0, got " + instructions);
        }
        return new StepPlan(batch, steps);
    }

    /** ⌈n / b⌉: minibatches in one pass over n examples. */
    public static long batchesPerEpoch(int examples, int batchSize) {
        return (examples + (long) batchSize - 1) / batchSize;
    }
}
