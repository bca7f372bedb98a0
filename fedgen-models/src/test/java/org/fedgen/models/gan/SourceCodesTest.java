package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedgen.core.FitInstructions;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Source-coded generators (MD-GAN's client codes): configuration, code draws and unconditional sampling. */
class SourceCodesTest {
    private static GanConfig coded(double... weights) {
        return GanConfig.builder().dataDim(6).latentDim(3).generatorHidden(5).discriminatorHidden(4)
                .sourceWeights(weights).build();
    }

    @Test
    void weightsAreNormalisedAndWidenTheGeneratorInput() {
        GanConfig c = coded(2, 6, 2);
        assertArrayEquals(new double[] {0.2, 0.6, 0.2}, c.sourceWeights(), 1e-15);
        assertEquals(3, c.numSources());
        assertEquals(3 + 3, c.generatorLayers()[0]);
        assertEquals(0, c.toBuilder().sourceWeights().build().numSources());
        assertEquals(3, c.toBuilder().build().numSources());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> coded(1, 0, 1));
        assertTrue(bad.getMessage().contains("source weight 1") && bad.getMessage().contains("0.0"),
                bad.getMessage());
        IllegalArgumentException conditional = assertThrows(IllegalArgumentException.class,
                () -> coded(1, 1).toBuilder().numClasses(10).build());
        assertTrue(conditional.getMessage().contains("2 source codes need an unconditional GAN"),
                conditional.getMessage());
    }

    /** 20 000 draws with weights 0.2 / 0.5 / 0.3: each share within 4 standard deviations (≤ 0.0142), reproducible. */
    @Test
    void codesAreDrawnWithTheWeightsAndTheSeed() {
        double[] w = {0.2, 0.5, 0.3};
        int[] codes = Gan.drawSources(w, 20_000, 4);
        int[] count = new int[3];
        for (int k : codes) {
            count[k]++;
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(w[k], count[k] / 20_000.0, 4 * Math.sqrt(w[k] * (1 - w[k]) / 20_000), "code " + k);
        }
        assertArrayEquals(codes, Gan.drawSources(w, 20_000, 4));
    }

    /** Unconditional samples are G(z_i, k_i) with the seed's latents and codes drawn by the weights. */
    @Test
    void samplesFeedEachRowItsDrawnCode() {
        GanConfig c = coded(1, 3);
        Gan gan = new Gan(c);
        gan.initialize(5);
        int n = 7;
        long seed = 11;
        INDArray samples = gan.sample(n, seed);
        int[] codes = Gan.drawSources(c.sourceWeights(), n, Seeds.derive(seed, "gan-sample-sources"));
        GanNetworks nets = new GanNetworks(c, DataType.FLOAT);
        nets.generator.params().assign(gan.state().part(Gan.GENERATOR));
        INDArray z;
        try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(Seeds.derive(seed, "gan-sample-noise"))) {
            z = Nd4j.randn(r, n, c.latentDim()).castTo(DataType.FLOAT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        GanTest.assertClose(nets.sample(z, codes).dup(), samples);
        int[] flipped = codes.clone();
        for (int i = 0; i < n; i++) {
            flipped[i] = 1 - codes[i];
        }
        assertTrue(!nets.sample(z, flipped).equalsWithEps(samples, 1e-6), "the code must change the sample");
    }

    @Test
    void localTrainingRefusesACodedGenerator() {
        Gan gan = new Gan(coded(1, 1));
        gan.initialize(1);
        Dataset data = new Dataset(Nd4j.rand(DataType.FLOAT, 8, 6), null, new int[] {6});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gan.fit(data,
                FitInstructions.builder().localSteps(1).batchSize(4).learningRate(1e-3).seed(1).build(), null));
        assertTrue(e.getMessage().contains("2 source codes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GeneratorTrainer(coded(1, 1), 1, 4));
    }
}
