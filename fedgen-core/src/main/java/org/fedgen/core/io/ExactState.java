package org.fedgen.core.io;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stores doubles and longs in a checkpoint's float32 state exactly: each 64-bit value becomes four floats holding its
 * 16-bit pieces (integers in [0, 65535], exact and finite in float32), most significant first. A resumed accountant or
 * clip norm then continues from the very bits it stopped at, and {@link Checkpoint#requireFinite()} still holds,
 * which raw bit patterns stored as floats would break (they can be NaN).
 */
public final class ExactState {
    private static final int PIECES = 4;

    private ExactState() {
    }

    /** The doubles' IEEE bits as a float32 vector of 4·n pieces. */
    public static INDArray ofDoubles(double... values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return ofLongs(bits);
    }

    /** The longs as a float32 vector of 4·n pieces. */
    public static INDArray ofLongs(long... values) {
        float[] f = new float[PIECES * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int p = 0; p < PIECES; p++) {
                f[PIECES * i + p] = (values[i] >>> (16 * (PIECES - 1 - p))) & 0xFFFF;
            }
        }
        return Nd4j.createFromArray(f);
    }

    /**
     * The doubles {@link #ofDoubles} stored.
     *
     * @param name the state entry, named in errors
     * @throws IllegalArgumentException if {@code a} is not such a vector
     */
    public static double[] toDoubles(String name, INDArray a) {
        long[] bits = toLongs(name, a);
        double[] d = new double[bits.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Double.longBitsToDouble(bits[i]);
        }
        return d;
    }

    /**
     * The longs {@link #ofLongs} stored.
     *
     * @param name the state entry, named in errors
     * @throws IllegalArgumentException if {@code a} is not a float32 vector of whole 16-bit pieces, 4 per value
     */
    public static long[] toLongs(String name, INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.length() % PIECES != 0) {
            throw new IllegalArgumentException("state '" + name + "' must be a FLOAT vector of 4 pieces per value, got "
                    + a.dataType() + " of length " + a.length());
        }
        float[] f = a.dup().data().asFloat();
        long[] v = new long[f.length / PIECES];
        for (int i = 0; i < v.length; i++) {
            long x = 0;
            for (int p = 0; p < PIECES; p++) {
                float piece = f[PIECES * i + p];
                if (!(piece >= 0 && piece <= 0xFFFF && piece == Math.rint(piece))) {
                    throw new IllegalArgumentException("state '" + name + "' holds " + piece + " at index "
                            + (PIECES * i + p) + ", not a 16-bit piece");
                }
                x = (x << 16) | (long) piece;
            }
            v[i] = x;
        }
        return v;
    }

    /** The one double of {@link #ofDoubles(double...)} with one value. */
    public static double toDouble(String name, INDArray a) {
        double[] d = toDoubles(name, a);
        if (d.length != 1) {
            throw new IllegalArgumentException("state '" + name + "' must hold one value, holds " + d.length);
        }
        return d[0];
    }

    /** The one long of {@link #ofLongs(long...)} with one value. */
    public static long toLong(String name, INDArray a) {
        long[] v = toLongs(name, a);
        if (v.length != 1) {
            throw new IllegalArgumentException("state '" + name + "' must hold one value, holds " + v.length);
        }
        return v[0];
    }
}
