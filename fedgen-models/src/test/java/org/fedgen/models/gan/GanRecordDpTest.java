package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.dpsgd.RecordDp;
import org.fedgen.models.dpsgd.TestNoise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** DP-SGD on the discriminator: ghost-norm clipping of each example's whole contribution vs a naive loop. */
class GanRecordDpTest {
    private static final int ROWS = 8;
    private static final int MEMBERS = 6;

    private static GanConfig tiny(GanLoss loss, int classes) {
        return GanConfig.builder().dataDim(6).latentDim(3).generatorHidden(5, 4).discriminatorHidden(5, 4)
                .numClasses(classes).loss(loss).build();
    }

    private static INDArray row(INDArray m, int i) {
        return m.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
    }

    /**
     * For each example i alone (one real row, its fake, its interpolate weight) the existing discriminator gradient
     * at weight 1 is g_i; clipping each to C (the median norm) and summing over the first 6 of 8 rows must equal the
     * private step's sum from ghost norms over the whole batch, whose last 2 rows are padding, to 1e-5 of the
     * largest coordinate (float32 clip weights in a float64 network). Covers the BCE loss, the WGAN-GP penalty's
     * third outer product per layer, and the projection critic's label outputs.
     */
    @ParameterizedTest
    @CsvSource({"NON_SATURATING_BCE,0", "NON_SATURATING_BCE,3", "WGAN_GP,0", "WGAN_GP,3"})
    void clippedSumEqualsNaivePerExampleLoop(GanLoss loss, int classes) throws Exception {
        GanNetworks nets = new GanNetworks(tiny(loss, classes), DataType.DOUBLE);
        nets.initialize(11);
        int[] y = classes == 0 ? null : new int[] {0, 2, 1, 2, 0, 1, 1, 0};
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(5)) {
            INDArray real = Nd4j.rand(r, ROWS, 6).castTo(DataType.DOUBLE);
            INDArray fake = Nd4j.rand(r, ROWS, 6).castTo(DataType.DOUBLE);
            INDArray eps = Nd4j.rand(r, ROWS, 1).castTo(DataType.DOUBLE);
            INDArray[] per = new INDArray[MEMBERS];
            double[] norms = new double[MEMBERS];
            for (int i = 0; i < MEMBERS; i++) {
                int[] yi = y == null ? null : new int[] {y[i]};
                nets.discriminatorGradient(row(real, i), yi, row(fake, i), yi, row(eps, i), 1.0, 1.0, false);
                per[i] = nets.discriminator.gradient().dup();
                norms[i] = per[i].norm2Number().doubleValue();
            }
            double clip = Arrays.stream(norms).sorted().toArray()[MEMBERS / 2];
            INDArray expected = Nd4j.zeros(DataType.DOUBLE, per[0].length());
            for (int i = 0; i < MEMBERS; i++) {
                expected.addi(per[i].mul(Math.min(1, clip / norms[i])));
            }
            nets.clippedDiscriminatorSum(real, y, fake, eps, MEMBERS, clip);
            INDArray actual = nets.discriminator.gradient();
            double scale = expected.amaxNumber().doubleValue();
            double err = expected.sub(actual).amaxNumber().doubleValue();
            assertTrue(err <= 1e-5 * scale, "max error " + err + " vs largest coordinate " + scale);
        }
    }

    @Test
    void conditionalGeneratorTrainedOnTheClientIsRefused() {
        GanConfig c = tiny(GanLoss.NON_SATURATING_BCE, 3);
        Gan gan = new Gan(c);
        ModelState init = gan.initialize(1);
        gan.privately(RecordDp.builder(1, 1).noise(TestNoise::seeded).build());
        Dataset d = new Dataset(Nd4j.rand(DataType.FLOAT, 10, 6), new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0},
                new int[] {6});
        var e = assertThrows(IllegalArgumentException.class, () -> gan.fit(d, FitInstructions.builder()
                .learningRate(0.01).batchSize(4).localSteps(1).seed(1).build(), init));
        assertTrue(e.getMessage().contains("conditional GAN"), e.getMessage());
    }
}
