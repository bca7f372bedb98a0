package org.fedgen.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

class NativeRandomTest {

    /** The draws are ND4J's own for that seed, in call order: what the families drew before the kit existed. */
    @Test
    void drawsEqualNd4jsSeededGeneratorCallByCall() throws Exception {
        INDArray g1;
        INDArray u1;
        INDArray g2;
        try (NativeRandom r = new NativeRandom(17)) {
            g1 = r.gaussian(5, 3);
            u1 = r.uniform(Nd4j.create(DataType.FLOAT, 4, 1));
            g2 = r.gaussian(Nd4j.create(DataType.FLOAT, 2, 2));
        }
        try (Random ref = Nd4j.getRandomFactory().getNewRandomInstance(17)) {
            assertEquals(Nd4j.randn(ref, 5, 3).castTo(DataType.FLOAT), g1);
            assertEquals(Nd4j.rand(ref, 4, 1).castTo(DataType.FLOAT), u1);
            assertEquals(Nd4j.randn(ref, 2, 2).castTo(DataType.FLOAT), g2);
        }
        assertEquals(DataType.FLOAT, g1.dataType());
        assertFalse(g1.getRow(0).equals(g1.getRow(1)));
    }

    @Test
    void uniformDrawsLieInTheUnitIntervalAndSeedsDiffer() {
        try (NativeRandom a = new NativeRandom(1); NativeRandom b = new NativeRandom(2)) {
            INDArray u = a.uniform(1000, 1);
            assertTrue(u.minNumber().doubleValue() >= 0 && u.maxNumber().doubleValue() < 1);
            assertFalse(a.gaussian(3, 3).equals(b.gaussian(3, 3)));
        }
    }
}
