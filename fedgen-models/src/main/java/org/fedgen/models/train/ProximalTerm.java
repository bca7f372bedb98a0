package org.fedgen.models.train;

import java.util.Objects;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The FedProx term of one part (Li et al. 2020): the client minimises F(w) + (μ/2)‖w − w_t‖², so every local gradient
 * gets + μ(w − w_t), where w_t is the part in the anchor (the global state the round started from).
 *
 * <p>One instance per part and model, bound to the part's parameter vector; {@link #prepare} arms it for one fit. The
 * term is computed as d = w − w_t (exact for nearby floats), then μ·d rounded, then added to the gradient: three
 * element-wise ND4J ops, each correctly rounded, so the result has the same bits on every CPU (a BLAS axpy may or may
 * not fuse the multiply-add, depending on the kernel). The scratch vector is allocated on the first armed fit and
 * reused. Not thread-safe.
 */
public final class ProximalTerm {
    private final String part;
    private final INDArray params;
    private INDArray anchor;
    private double mu;
    private INDArray scratch;

    /**
     * @param part   the part's name, for messages
     * @param params the part's flat parameter vector (the model's own, updated in place by its optimiser)
     */
    public ProximalTerm(String part, INDArray params) {
        this.part = Objects.requireNonNull(part, "part");
        this.params = Objects.requireNonNull(params, "params");
    }

    /**
     * Arms the term for one fit with μ = {@link FitInstructions#proximalMu()} and w_t = the anchor's part, or disarms
     * it when μ = 0 or the part is not trained.
     *
     * @throws IllegalArgumentException if μ &gt; 0, the part is trained and the anchor is null, lacks the part or has
     *                                  another length
     */
    public void prepare(FitInstructions instructions, ModelState anchorState) {
        mu = instructions.proximalMu();
        anchor = null;
        if (!(mu > 0) || !instructions.trains(part)) {
            return;
        }
        if (anchorState == null || !anchorState.has(part)) {
            throw new IllegalArgumentException("proximalMu " + mu + " > 0 needs an anchor state with part '" + part
                    + "', got " + anchorState);
        }
        INDArray a = anchorState.part(part);
        if (a.length() != params.length()) {
            throw new IllegalArgumentException("anchor part '" + part + "' has length " + a.length()
                    + " but the model's has " + params.length());
        }
        anchor = a;
        if (scratch == null) {
            scratch = Nd4j.create(DataType.FLOAT, params.length());
        }
    }

    /** Whether the last {@link #prepare} armed the term. */
    public boolean active() {
        return anchor != null;
    }

    /** grad += μ(w − w_t) in place when armed; otherwise leaves grad as it is. */
    public void addTo(INDArray grad) {
        if (anchor == null) {
            return;
        }
        Nd4j.exec(new SubOp(params, anchor, scratch));
        grad.addi(scratch.muli(mu));
    }
}
