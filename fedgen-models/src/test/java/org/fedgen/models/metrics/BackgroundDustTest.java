package org.fedgen.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BackgroundDustTest {
    /**
     * 100 three-pixel images: pixel 0 is never lit (one image holds exactly 0.1, which is dark), pixel 1 is lit in one
     * image (dark in exactly 99 %: background), pixel 2 in two (dark in 98 %: not background).
     */
    private static INDArray reference() {
        double[][] x = new double[100][3];
        x[7][0] = 0.1;
        x[3][1] = 0.9;
        x[10][2] = 1.0;
        x[11][2] = 0.6;
        return Nd4j.create(x).castTo(DataType.FLOAT);
    }

    @Test
    void backgroundIsPixelsDarkInAtLeast99PercentOfTheReference() {
        BackgroundDust d = BackgroundDust.of(reference());
        assertEquals(2, d.backgroundPixels());
        assertTrue(d.isBackground(0));
        assertTrue(d.isBackground(1));
        assertFalse(d.isBackground(2));
        // Leave-one-out: without image 3, pixel 1 is dark in 99 of 99, so image 3 is measured on {0, 1} and its lit
        // pixel 1 counts; without any other image, pixel 1 is dark in 98 of 99 only, so those are measured on {0}.
        // Pixel 2 is dark in at most 98 of 99 either way. Lit pairs 1, pairs 2 + 99 x 1.
        assertEquals(1.0 / 101, d.referenceDust(), 0.0);
    }

    @Test
    void dustCountsLitBackgroundPixelsAndRatioDividesByTheReference() {
        BackgroundDust d = BackgroundDust.of(reference());
        INDArray gen = Nd4j.create(new double[][] {
            {0.6, 0.0, 1.0},   // pixel 0 lit
            {0.1, 0.11, 1.0},  // 0.1 is not lit, 0.11 is
            {0.0, 0.0, 0.0},
            {1.0, 1.0, 1.0}}); // both lit; pixel 2 never counts
        assertEquals(4.0 / 8, d.dust(gen), 0.0);
        assertEquals((4.0 / 8) / (1.0 / 101), d.ratio(gen), 0.0);
    }

    @Test
    void withoutReferenceDustTheRatioIsNaNAndWithoutBackgroundTheDustIsZero() {
        BackgroundDust clean = BackgroundDust.of(Nd4j.zeros(DataType.FLOAT, 5, 2));
        INDArray gen = Nd4j.ones(DataType.FLOAT, 2, 2);
        assertEquals(1.0, clean.dust(gen), 0.0);
        assertTrue(Double.isNaN(clean.ratio(gen)));
        BackgroundDust none = BackgroundDust.of(Nd4j.ones(DataType.FLOAT, 5, 2));
        assertEquals(0, none.backgroundPixels());
        assertEquals(0.0, none.dust(gen), 0.0);
    }

    @Test
    void rejectsImagesOfAnotherWidthOrShape() {
        BackgroundDust d = BackgroundDust.of(reference());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.dust(Nd4j.zeros(DataType.FLOAT, 4, 2)));
        assertEquals("images have 2 pixels, the reference 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BackgroundDust.of(Nd4j.zeros(DataType.FLOAT, 3)));
    }
}
