package org.fedgen.privacy.secagg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How masked elements of Z_{2^32} travel in the float32 payload of a {@link org.fedgen.core.ClientUpdate}: each
 * {@code int} is stored as the float with the same 32 bits ({@link Float#intBitsToFloat}) and read back with
 * {@link Float#floatToRawIntBits}, so every element, NaN and infinity patterns included, arrives exactly. No arithmetic
 * may touch such a vector before it is read back.
 */
public final class RingPayload {
    private RingPayload() {
    }

    /** The float32 vector that carries {@code ring[from, from + n)}. */
    public static INDArray write(int[] ring, int from, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = Float.intBitsToFloat(ring[from + i]);
        }
        return Nd4j.createFromArray(f);
    }

    /** The ring elements a vector made by {@link #write} carries. */
    public static int[] read(INDArray v) {
        float[] f = v.toFloatVector();
        int[] ring = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            ring[i] = Float.floatToRawIntBits(f[i]);
        }
        return ring;
    }
}
