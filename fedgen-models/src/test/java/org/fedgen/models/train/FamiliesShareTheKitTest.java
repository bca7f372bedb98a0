package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedgen.core.ConditionalGenerativeModel;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.ddpm.Activation;
import org.fedgen.models.ddpm.DdimSampler;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.ddpm.MlpDenoiser;
import org.fedgen.models.ddpm.NoiseSchedule;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanConfig;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The edge cases the three families now decide in one place, and the conditional-sampling contract they share. */
class FamiliesShareTheKitTest {
    private static final int D = 6;

    private static List<ConditionalGenerativeModel> models(int classes) {
        return List.of(
                new Vae(VaeConfig.builder().inputDim(D).hiddenDim(5).latentDim(2).numClasses(classes).build()),
                new Gan(GanConfig.builder().dataDim(D).latentDim(3).generatorHidden(5).discriminatorHidden(5)
                        .numClasses(classes).build()),
                Ddpm.builder(new MlpDenoiser(D, new int[] {8}, 4, classes, Activation.SILU))
                        .schedule(NoiseSchedule.linear(40)).sampler(new DdimSampler(4)).build());
    }

    private static Dataset data(int n) {
        float[][] x = new float[n][D];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                x[i][j] = ((i * 7 + j * 3) % 10) / 10f;
            }
            y[i] = i % 3;
        }
        return new Dataset(Nd4j.createFromArray(x), y, new int[] {D});
    }

    @Test
    void zeroStepsIsRefusedByEveryFamilyBeforeAnythingChanges() {
        FitInstructions none = FitInstructions.builder().localEpochs(0).localSteps(0).batchSize(4).build();
        for (ConditionalGenerativeModel m : models(0)) {
            ModelState start = m.initialize(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(data(10), none, start), m.getClass().getSimpleName());
            assertTrue(e.getMessage().contains("localSteps > 0 or localEpochs > 0"), e.getMessage());
            assertTrue(m.state().bitEquals(start), m.getClass().getSimpleName());
        }
    }

    @Test
    void epochsModeCountsCeilOfExamplesOverBatchStepsPerEpochInEveryFamily() {
        // 10 examples, batch 4: ⌈10/4⌉ = 3 steps per epoch (the GAN's n_critic is 1 here)
        FitInstructions twoEpochs = FitInstructions.builder().localEpochs(2).batchSize(4).build();
        for (ConditionalGenerativeModel m : models(0)) {
            ModelState start = m.initialize(1);
            Map<String, Double> metrics = m.fit(data(10), twoEpochs, start);
            assertEquals(6.0, metrics.get("steps"), m.getClass().getSimpleName());
            assertTrue(Double.isFinite(metrics.get("loss")), m.getClass().getSimpleName());
        }
    }

    @Test
    void conditionalSampleOfNCyclesTheLabelsAndUnconditionalModelsRefuseLabels() {
        for (ConditionalGenerativeModel m : models(3)) {
            String name = m.getClass().getSimpleName();
            m.initialize(2);
            assertEquals(3, m.numClasses(), name);
            INDArray cycled = m.sample(new int[] {0, 1, 2, 0, 1}, 9);
            assertEquals(cycled, m.sample(5, 9), name);
            assertEquals(5, cycled.rows(), name);
            assertEquals(D, cycled.columns(), name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.sample(new int[] {0, 3}, 9), name);
            assertTrue(e.getMessage().contains("3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.sample(new int[0], 9), name);
        }
        for (ConditionalGenerativeModel m : models(0)) {
            m.initialize(2);
            assertEquals(0, m.numClasses());
            assertThrows(IllegalArgumentException.class, () -> m.sample(new int[] {0}, 9),
                    m.getClass().getSimpleName());
        }
    }
}
