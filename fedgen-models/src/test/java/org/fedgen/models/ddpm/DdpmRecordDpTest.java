package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** DP-SGD in the MLP denoiser: ghost-norm clipping against a naive per-example loop. */
class DdpmRecordDpTest {
    private static final int ROWS = 8;
    private static final int MEMBERS = 6;

    private static INDArray row(INDArray m, int i) {
        return m.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
    }

    /**
     * Each example alone (its own t, ε, label) through {@code lossAndGradient} with a batch of one gives g_i (the
     * gradient of its ε-loss, a mean over its d pixels); clipped to the median norm and summed over the first 6 of 8
     * rows it must equal the ghost-norm clipped sum over the padded batch, to 1e-4 of the largest coordinate (float32).
     * Covers residual blocks, the conditioning projections and the prior skip's per-pixel parameters.
     */
    @ParameterizedTest
    @CsvSource({"0,false", "3,false", "3,true"})
    void clippedSumEqualsNaivePerExampleLoop(int classes, boolean priorSkip) {
        NoiseSchedule schedule = NoiseSchedule.linear(100);
        MlpDenoiser net = new MlpDenoiser(6, new int[] {5, 5}, 4, classes, Activation.SILU,
                priorSkip ? schedule : null);
        net.initialize(7);
        net.params().addi(MlpDenoiserTest.gaussian(8, net.params().length()).muli(0.3));
        INDArray xt = MlpDenoiserTest.gaussian(1, ROWS, 6);
        INDArray eps = MlpDenoiserTest.gaussian(2, ROWS, 6);
        int[] t = {1, 17, 40, 99, 5, 60, 3, 3};
        int[] labels = classes == 0 ? null : new int[] {2, 0, 1, 1, 2, 0, 0, 0};
        INDArray[] per = new INDArray[MEMBERS];
        double[] norms = new double[MEMBERS];
        for (int i = 0; i < MEMBERS; i++) {
            net.lossAndGradient(row(xt, i), new int[] {t[i]}, labels == null ? null : new int[] {labels[i]},
                    row(eps, i));
            per[i] = net.gradient().dup();
            norms[i] = per[i].norm2Number().doubleValue();
        }
        double clip = Arrays.stream(norms).sorted().toArray()[MEMBERS / 2];
        INDArray expected = Nd4j.zeros(DataType.FLOAT, per[0].length());
        for (int i = 0; i < MEMBERS; i++) {
            expected.addi(per[i].mul(Math.min(1, clip / norms[i])));
        }
        net.clippedGradientSum(xt, t, labels, eps, MEMBERS, clip);
        double scale = expected.amaxNumber().doubleValue();
        double err = expected.sub(net.gradient()).amaxNumber().doubleValue();
        assertTrue(err <= 1e-4 * scale, "max error " + err + " vs largest coordinate " + scale);
    }

    @Test
    void aDenoiserWithoutPerExampleNormsIsRefused() {
        Denoiser plain = new Denoiser() {
            public int dataDim() {
                return 1;
            }

            public int numClasses() {
                return 0;
            }

            public INDArray params() {
                return null;
            }

            public INDArray gradient() {
                return null;
            }

            public void initialize(long seed) {
            }

            public INDArray predict(INDArray xt, int[] t, int[] labels) {
                return xt;
            }

            public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
                return 0;
            }
        };
        var e = assertThrows(IllegalArgumentException.class,
                () -> plain.clippedGradientSum(null, new int[0], null, null, 0, 1));
        assertTrue(e.getMessage().contains("per-example gradient norms"), e.getMessage());
    }
}
