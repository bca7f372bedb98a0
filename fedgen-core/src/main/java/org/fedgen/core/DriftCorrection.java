package org.fedgen.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SCAFFOLD's correction for one client's local fit (Karimireddy et al. 2020): every local gradient g of a corrected
 * part becomes g − c_i + c, where c is the server's control and c_i the client's own, and the raw gradients are summed
 * so that the client's next control can be read off at the end.
 *
 * <p>The next control is the mean of the raw (uncorrected) loss gradients of the fit, c_i⁺ = (1/K) Σ_k g_k. With plain
 * SGD this is exactly the paper's option II, c_i⁺ = c_i − c + (x − y_i)/(K η_l), since then x − y_i = η_l Σ_k (g_k −
 * c_i + c). With an adaptive local optimizer (the VAE's and GAN's Adam) the correction still enters the gradient, before
 * the optimizer sees it, so c − c_i must be in gradient units; (x − y_i)/(K η_l) would be in units of Adam's normalised
 * steps instead, which is why the mean gradient is used.
 *
 * <p>Built by {@link org.fedgen.core.sim.LocalTraining} from the instructions' {@link FitInstructions#serverControl()}
 * and the client's stored control; a model applies it with {@link #correct} in every local step of a corrected part.
 * Not thread-safe: one instance per fit.
 */
public final class DriftCorrection {
    private final Map<String, INDArray> offset = new LinkedHashMap<>();
    private final Map<String, INDArray> gradientSum = new LinkedHashMap<>();
    private final Map<String, Long> steps = new LinkedHashMap<>();

    /**
     * The correction c − c_i for every part of {@code serverControl}.
     *
     * @param serverControl c per part
     * @param clientControl c_i per part; a missing part is zero (a client's first round)
     * @throws IllegalArgumentException if a client control has another length than the server's
     */
    public DriftCorrection(Map<String, INDArray> serverControl, Map<String, INDArray> clientControl) {
        Objects.requireNonNull(clientControl, "clientControl");
        for (Map.Entry<String, INDArray> e : serverControl.entrySet()) {
            INDArray c = e.getValue();
            INDArray ci = clientControl.get(e.getKey());
            if (ci != null && ci.length() != c.length()) {
                throw new IllegalArgumentException("client control of part '" + e.getKey() + "' has length "
                        + ci.length() + ", the server's has " + c.length());
            }
            offset.put(e.getKey(), ci == null ? c.castTo(DataType.FLOAT).dup() : c.sub(ci));
            gradientSum.put(e.getKey(), Nd4j.zeros(DataType.FLOAT, c.length()));
            steps.put(e.getKey(), 0L);
        }
    }

    /** Whether the named part is corrected. */
    public boolean covers(String part) {
        return offset.containsKey(part);
    }

    /** The corrected parts. */
    public java.util.Set<String> parts() {
        return java.util.Collections.unmodifiableSet(offset.keySet());
    }

    /**
     * One local step of {@code part}: adds the raw gradient to the running sum, then gradient += c − c_i in place.
     *
     * @throws IllegalArgumentException for a part that is not corrected or a gradient of another length
     */
    public void correct(String part, INDArray gradient) {
        INDArray d = offset.get(part);
        if (d == null) {
            throw new IllegalArgumentException("part '" + part + "' is not corrected; corrected parts: "
                    + offset.keySet());
        }
        if (gradient.length() != d.length()) {
            throw new IllegalArgumentException("gradient of part '" + part + "' has length " + gradient.length()
                    + ", its control has " + d.length());
        }
        gradientSum.get(part).addi(gradient);
        steps.merge(part, 1L, Long::sum);
        gradient.addi(d);
    }

    /** The local steps taken on {@code part} so far. */
    public long steps(String part) {
        return steps.getOrDefault(part, 0L);
    }

    /**
     * The client's next control for {@code part}: the mean raw gradient of the fit, a new vector; null if the part
     * took no step (the client then keeps its control).
     */
    public INDArray nextControl(String part) {
        long k = steps(part);
        return k == 0 ? null : gradientSum.get(part).div(k);
    }
}
