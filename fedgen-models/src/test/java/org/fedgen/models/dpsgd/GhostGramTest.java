package org.fedgen.models.dpsgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** GhostGram against per-example gradients written out in full (small integers: the float sums are exact). */
class GhostGramTest {
    private static INDArray m(float[][] v) {
        return Nd4j.createFromArray(v);
    }

    /** ‖Σ_t a_tᵀ δ_t‖² + ‖Σ_{t<b} δ_t‖² of row i, from the explicit matrices. */
    private static double explicit(INDArray[] a, INDArray[] d, int i, int biasTerms) {
        long in = a[0].columns();
        long out = d[0].columns();
        double sq = 0;
        for (int r = 0; r < in; r++) {
            for (int c = 0; c < out; c++) {
                double g = 0;
                for (int t = 0; t < a.length; t++) {
                    g += a[t].getDouble(i, r) * d[t].getDouble(i, c);
                }
                sq += g * g;
            }
        }
        for (int c = 0; c < out; c++) {
            double g = 0;
            for (int t = 0; t < biasTerms; t++) {
                g += d[t].getDouble(i, c);
            }
            sq += g * g;
        }
        return sq;
    }

    @Test
    void threePassesTwoWithBiasOverTwoLayersEqualTheWrittenOutGradients() {
        INDArray[] a0 = {m(new float[][] {{1, 2, 0}, {0, -1, 3}}), m(new float[][] {{2, 0, 1}, {1, 1, 1}}),
            m(new float[][] {{-1, 1, 2}, {2, 0, -2}})};
        INDArray[] d0 = {m(new float[][] {{1, -1}, {2, 0}}), m(new float[][] {{0, 3}, {1, 1}}),
            m(new float[][] {{2, 2}, {-1, 0}})};
        INDArray[] a1 = {m(new float[][] {{3, 1}, {0, 2}}), m(new float[][] {{1, 1}, {2, -2}}),
            m(new float[][] {{0, 1}, {1, 0}})};
        INDArray[] d1 = {m(new float[][] {{1}, {-2}}), m(new float[][] {{2}, {1}}), m(new float[][] {{-1}, {3}})};
        GhostGram g = new GhostGram(3, 2);
        g.reset(2);
        g.addLayer(a0, d0);
        g.addLayer(a1, d1);
        double[] want = new double[2];
        for (int i = 0; i < 2; i++) {
            want[i] = explicit(a0, d0, i, 2) + explicit(a1, d1, i, 2);
        }
        assertArrayEquals(want, g.squaredNorms().toDoubleVector(), 0.0);
        // row 0 by hand, layer 1: G = [3,1]ᵀ·1 + [1,1]ᵀ·2 + [0,1]ᵀ·(−1) = [5, 2]; bias 1 + 2 = 3; 25 + 4 + 9 = 38
        assertEquals(38.0, explicit(a1, d1, 0, 2), 0.0);
        // a new batch starts from zero
        g.reset(2);
        g.addLayer(a1, d1);
        assertArrayEquals(new double[] {38.0, explicit(a1, d1, 1, 2)}, g.squaredNorms().toDoubleVector(), 0.0);
    }

    @Test
    void withoutBiasTermsOnlyTheWeightsCount() {
        INDArray[] a = {m(new float[][] {{1, 2}}), m(new float[][] {{3, -1}})};
        INDArray[] d = {m(new float[][] {{2}}), m(new float[][] {{1}})};
        GhostGram g = new GhostGram(2, 0);
        g.reset(1);
        g.addLayer(a, d);
        // G = [1,2]·2 + [3,−1]·1 = [5, 3]: 25 + 9
        assertArrayEquals(new double[] {34.0}, g.squaredNorms().toDoubleVector(), 0.0);
    }

    @Test
    void refusesBadSizesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GhostGram(2, 3));
        assertEquals("need terms >= 1 and 0 <= bias terms <= terms, got terms 2, bias terms 3",
                e.getMessage());
        GhostGram g = new GhostGram(2, 0);
        INDArray[] one = {m(new float[][] {{1, 2}})};
        assertEquals("reset(rows) starts a batch",
                assertThrows(IllegalStateException.class, () -> g.addLayer(new INDArray[] {one[0], one[0]},
                        new INDArray[] {one[0], one[0]})).getMessage());
        g.reset(1);
        assertEquals("need 2 inputs and output gradients, got 1 and 1",
                assertThrows(IllegalArgumentException.class, () -> g.addLayer(one, one)).getMessage());
        INDArray[] wide = {m(new float[][] {{1, 2}}), m(new float[][] {{1, 2, 3}})};
        assertEquals("need [1, 2] matrices, got [1, 3]",
                assertThrows(IllegalArgumentException.class, () -> g.addLayer(wide, wide)).getMessage());
    }

    @Test
    void rowRangesOfALargerMatrixAndFloat64ReadTheirOwnRows() {
        // the critic's real rows are rows 0..1 and its fake rows rows 2..3 of one buffer
        INDArray in = Nd4j.createFromArray(new double[][] {{1, 2}, {0, 1}, {3, -1}, {2, 2}});
        INDArray out = Nd4j.createFromArray(new double[][] {{2}, {1}, {1}, {-3}});
        INDArray[] a = {in.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()),
            in.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all())};
        INDArray[] d = {out.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()),
            out.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all())};
        GhostGram g = new GhostGram(2, 2);
        g.reset(2);
        g.addLayer(a, d);
        // row 0: G = [1,2]·2 + [3,−1]·1 = [5, 3], bias 2 + 1 = 3: 25 + 9 + 9 = 43
        // row 1: G = [0,1]·1 + [2,2]·(−3) = [−6, −5], bias 1 − 3 = −2: 36 + 25 + 4 = 65
        assertArrayEquals(new double[] {43, 65}, g.squaredNorms().toDoubleVector(), 0.0);
        assertEquals(DataType.DOUBLE, g.squaredNorms().dataType());
    }
}
