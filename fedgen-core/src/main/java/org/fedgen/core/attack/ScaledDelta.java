package org.fedgen.core.attack;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Model poisoning by scaling the honest delta: Δ' = a·Δ, sent in the honest payload's kind (weights w_t + a·Δ, or the
 * delta a·Δ). Sign flipping is a = −s (Baruch et al. 2019 style reversed updates), boosting is a = s &gt; 1
 * (Bhagoji et al. 2019). Gradients are scaled the same way.
 */
public final class ScaledDelta implements UpdateAttack {
    private final double factor;

    /** @param factor a, finite */
    public ScaledDelta(double factor) {
        if (!Double.isFinite(factor)) {
            throw new IllegalArgumentException("attack scale factor must be finite, got " + factor);
        }
        this.factor = factor;
    }

    /** Δ' = −s·Δ. */
    public static ScaledDelta signFlip(double s) {
        return new ScaledDelta(-s);
    }

    /** Δ' = s·Δ. */
    public static ScaledDelta scaling(double s) {
        return new ScaledDelta(s);
    }

    public double factor() {
        return factor;
    }

    @Override
    public ClientUpdate poison(ClientUpdate honest, ModelState global, FitInstructions instructions) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : honest.parts().entrySet()) {
            INDArray p = e.getValue();
            if (honest.kind() == PayloadKind.WEIGHTS) {
                INDArray g = global.part(e.getKey());
                out.put(e.getKey(), p.sub(g).muli(factor).addi(g));
            } else {
                out.put(e.getKey(), p.mul(factor));
            }
        }
        return honest.withParts(honest.kind(), out);
    }

    @Override
    public String toString() {
        return "ScaledDelta(" + factor + ")";
    }
}
