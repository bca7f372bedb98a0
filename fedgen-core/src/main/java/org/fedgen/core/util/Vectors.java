package org.fedgen.core.util;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** Small fused operations on flat float32 vectors used by aggregators and validators. */
public final class Vectors {
    private Vectors() {
    }

    /**
     * Σ_i weights[i]·vectors[i], accumulated in the given order with BLAS axpy (one pass per vector, no temporaries),
     * into a new vector.
     */
    public static INDArray weightedSum(List<INDArray> vectors, double[] weights) {
        if (vectors.size() != weights.length) {
            throw new IllegalArgumentException(vectors.size() + " vectors but " + weights.length + " weights");
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("weightedSum of no vectors");
        }
        long len = vectors.get(0).length();
        INDArray acc = Nd4j.zeros(DataType.FLOAT, len);
        for (int i = 0; i < weights.length; i++) {
            axpy(weights[i], vectors.get(i), acc);
        }
        return acc;
    }

    /** y += a·x in place. */
    public static void axpy(double a, INDArray x, INDArray y) {
        if (x.length() != y.length()) {
            throw new IllegalArgumentException("length mismatch: " + x.length() + " vs " + y.length());
        }
        Nd4j.getBlasWrapper().level1().axpy(y.length(), a, x, y);
    }

    /** Whether every value is finite (no NaN, no ±Inf). */
    public static boolean allFinite(INDArray v) {
        // Fast path: one reduction; a finite sum proves there is no NaN/Inf. Only if it is not finite (which an
        // overflow of huge finite values can also cause) do the exact element-wise checks run.
        if (Double.isFinite(v.sumNumber().doubleValue())) {
            return true;
        }
        return !BooleanIndexing.or(v, Conditions.isNan()) && !BooleanIndexing.or(v, Conditions.isInfinite());
    }

    /**
     * The L2 norm of several vectors taken as one concatenated vector, with every square summed in double precision:
     * a float32 reduction under-reads long vectors (its accumulator loses the small terms), which would let a "clipped"
     * delta exceed the clip norm.
     */
    public static double l2Norm(Iterable<INDArray> parts) {
        double sq = 0;
        for (INDArray p : parts) {
            sq += sumOfSquares(p);
        }
        return Math.sqrt(sq);
    }

    /** Σ x_i² accumulated in double; float32 vectors are read in place from their buffer. */
    static double sumOfSquares(INDArray v) {
        if (v.dataType() != DataType.FLOAT) {
            double n = v.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            return n * n;
        }
        INDArray c = v.isView() || v.ordering() != 'c' ? v.dup('c') : v;
        java.nio.FloatBuffer buf = c.data().asNioFloat();
        int start = (int) c.offset();
        int end = start + (int) c.length();
        double s0 = 0;
        double s1 = 0;
        int i = start;
        for (; i + 1 < end; i += 2) {
            double a = buf.get(i);
            double b = buf.get(i + 1);
            s0 += a * a;
            s1 += b * b;
        }
        if (i < end) {
            double a = buf.get(i);
            s0 += a * a;
        }
        return s0 + s1;
    }
}
