package org.fedgen.models.dpsgd;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A [rows, width] matrix copied out of ND4J into a reused Java array, in its own precision (float32, or float64 for a
 * float64 matrix), for row-wise dot products: one bulk copy and a plain loop cost less than one ND4J row-wise
 * reduction of a minibatch.
 */
final class RowMajorCopy {
    private float[] f = new float[0];
    private double[] d = new double[0];
    private boolean isDouble;
    private int width;

    void load(INDArray m, int rows, long expectedWidth) {
        if (m.rank() != 2 || m.rows() != rows || m.columns() != expectedWidth) {
            throw new IllegalArgumentException("need [" + rows + ", " + expectedWidth + "] matrices, got "
                    + Arrays.toString(m.shape()));
        }
        width = (int) expectedWidth;
        int n = rows * width;
        isDouble = m.dataType() == DataType.DOUBLE;
        INDArray c = m.dataType() != DataType.DOUBLE && m.dataType() != DataType.FLOAT
                ? m.castTo(DataType.FLOAT) : m;
        // a row range of a row-major matrix is one contiguous run from its offset
        if (c.ordering() != 'c' || c.stride(1) != 1 || c.stride(0) != width) {
            c = c.dup('c');
        }
        if (isDouble) {
            if (d.length < n) {
                d = new double[n];
            }
            c.data().asNioDouble().get((int) c.offset(), d, 0, n);
        } else {
            if (f.length < n) {
                f = new float[n];
            }
            c.data().asNioFloat().get((int) c.offset(), f, 0, n);
        }
    }

    /** Row i of this matrix dotted with row i of {@code o} (same width and precision). */
    double dot(RowMajorCopy o, int i) {
        int from = i * width;
        int to = from + width;
        if (isDouble) {
            double s0 = 0;
            double s1 = 0;
            int k = from;
            for (; k + 1 < to; k += 2) {
                s0 += d[k] * o.d[k];
                s1 += d[k + 1] * o.d[k + 1];
            }
            for (; k < to; k++) {
                s0 += d[k] * o.d[k];
            }
            return s0 + s1;
        }
        // four independent float sums: the loop is bound by the add latency, not by the loads
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = from;
        for (; k + 3 < to; k += 4) {
            s0 += f[k] * o.f[k];
            s1 += f[k + 1] * o.f[k + 1];
            s2 += f[k + 2] * o.f[k + 2];
            s3 += f[k + 3] * o.f[k + 3];
        }
        for (; k < to; k++) {
            s0 += f[k] * o.f[k];
        }
        return (double) s0 + s1 + s2 + s3;
    }
}
