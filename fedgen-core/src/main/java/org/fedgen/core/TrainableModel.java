package org.fedgen.core;

import java.util.Map;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model a client can train locally: the contract between the simulation engine (or a user's own client) and a model
 * implementation. One instance is owned by one worker thread and reused for many clients, so every call starts from
 * whatever was {@link #load loaded} and keeps no optimizer or random state from an earlier call.
 *
 * <p>Parameters are exposed as a {@link ModelState} of named flat float32 parts ({@code encoder}, {@code decoder},
 * {@code generator}, ...).
 */
public interface TrainableModel {

    /**
     * Re-initialises the parameters randomly from {@code seed} and returns a copy of them (round 0). The same seed
     * gives bit-identical parameters.
     */
    ModelState initialize(long seed);

    /** A copy of the current parameters, all parts, stamped round 0. */
    ModelState state();

    /**
     * Copies the parts present in {@code state} into this model's parameters; parts it lacks are left as they are.
     *
     * @throws IllegalArgumentException for an unknown part name or a wrong length, naming both
     */
    void load(ModelState state);

    /**
     * Trains locally from the current parameters with a fresh optimizer, as {@code instructions} say: only the
     * {@link FitInstructions#trainParts() trained parts} change; with {@link FitInstructions#proximalMu() μ} &gt; 0
     * every gradient of a trained part gets + μ(w − anchor).
     *
     * @param data         the client's local training data (at least one example)
     * @param instructions epochs or steps, batch size, learning rate, μ, seed, parts
     * @param anchor       w_t for the proximal term: the parameters the client started from (all trained parts);
     *                     null when μ = 0 (the engine then skips the copy)
     * @return metrics of the local training; at least {@code "loss"} (mean over the local steps) and {@code "steps"}
     */
    Map<String, Double> fit(Dataset data, FitInstructions instructions, ModelState anchor);

    /**
     * {@link #fit(Dataset, FitInstructions, ModelState)} with SCAFFOLD's drift correction: every local gradient of a
     * part the correction {@link DriftCorrection#covers covers} goes through {@link DriftCorrection#correct} before the
     * local optimizer (and before the proximal term) sees it. The engine calls this form only when the instructions
     * carry a {@link FitInstructions#serverControl() server control}; a model that cannot correct its gradients keeps
     * this default, which refuses.
     *
     * @param correction the correction, or null for a plain fit
     * @throws UnsupportedOperationException if {@code correction} is not null and the model does not support it
     */
    default Map<String, Double> fit(Dataset data, FitInstructions instructions, ModelState anchor,
            DriftCorrection correction) {
        if (correction != null) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot apply SCAFFOLD's drift"
                    + " correction to its local gradients");
        }
        return fit(data, instructions, anchor);
    }

    /**
     * The gradient of the mean loss over all of {@code data} at the current parameters (FedSGD: E = 1, B = ∞), for the
     * trained parts, as flat vectors laid out like the parts. Parameters do not change.
     */
    Map<String, INDArray> gradient(Dataset data, FitInstructions instructions);

    /**
     * Evaluates the current parameters on {@code data}; the result should include {@code "numExamples"}.
     *
     * @param seed seed for any randomness in the evaluation
     */
    Map<String, Double> evaluate(Dataset data, long seed);

    /**
     * The number of features of one example this model takes, or 0 if it does not say; the simulation engine checks
     * every client's data against it when it is built.
     */
    default int numFeatures() {
        return 0;
    }
}
