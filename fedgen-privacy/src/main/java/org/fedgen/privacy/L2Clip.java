package org.fedgen.privacy;

import java.util.Collection;
import org.fedgen.core.util.Vectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L2 clipping of a delta spread over several part vectors, as if they were one flat vector (the joint norm is
 * {@link Vectors#l2Norm}).
 */
public final class L2Clip {
    private L2Clip() {
    }

    /**
     * min(1, S/‖Δ‖·(1 − 2⁻²²)): the factor that brings a float32 delta of (double-precision) norm {@code norm} into the
     * ball of radius {@code clip}. The margin absorbs the rounding of each scaled element to float32 (at most 2⁻²⁴
     * relative), so the clipped vector's exact norm is ≤ S, not just close to it.
     */
    public static double factor(double norm, double clip) {
        return norm > clip ? clip / norm * FLOAT_MARGIN : 1.0;
    }

    private static final double FLOAT_MARGIN = 1 - 0x1p-22;

    /**
     * Scales the vectors in place so their joint norm is at most {@code clip}.
     *
     * @return the norm before clipping
     */
    public static double clipInPlace(Collection<INDArray> parts, double clip) {
        double norm = Vectors.l2Norm(parts);
        double f = factor(norm, clip);
        if (f < 1) {
            for (INDArray p : parts) {
                p.muli(f);
            }
        }
        return norm;
    }
}
