package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DigitsTest {
    private static Dataset digits;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        digits = Digits.bundled();
    }

    @Test
    void bundledHasEightThousandDigitsWithKnownClassCounts() {
        assertEquals(Digits.BUNDLED_SIZE, digits.size());
        assertEquals(8000, digits.size());
        assertEquals(784, digits.numFeatures());
        assertArrayEquals(new int[] {1, 28, 28}, digits.itemShape());
        int[] counts = new int[10];
        for (int l : digits.labels()) {
            counts[l]++;
        }
        assertArrayEquals(new int[] {799, 908, 795, 819, 793, 684, 829, 844, 745, 784}, counts);
    }

    @Test
    void bundledPixelsAreMultiplesOfOneOver255InUnitRange() {
        float[] px = digits.features().dup('c').data().asFloat();
        assertEquals(8000 * 784, px.length);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : px) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            assertEquals(v, Math.round(v * 255f) / 255f, 0f);
        }
        assertEquals(0f, min, 0f);
        assertEquals(1f, max, 0f);
    }

    @Test
    void writeIdxRoundTripsExactlyForByteValuedPixels() throws IOException {
        Dataset first = digits.range(0, 5);
        Path f = dir.resolve("five.idx");
        Digits.writeIdx(f, first.features(), 28, 28);
        Dataset back = Digits.fromFiles(f, null);
        assertEquals(5, back.size());
        assertArrayEquals(new int[] {1, 28, 28}, back.itemShape());
        assertArrayEquals(first.features().dup('c').data().asFloat(), back.features().dup('c').data().asFloat());
    }

    @Test
    void writeIdxClampsAndRounds() throws IOException {
        INDArray s = Nd4j.createFromArray(new float[] {-0.5f, 0f, 0.5f, 1f, 7f, Float.NaN}).reshape(1, 6);
        Path f = dir.resolve("clamp.idx");
        Digits.writeIdx(f, s, 2, 3);
        IdxFormat.UbyteArray a = IdxFormat.read(f);
        assertArrayEquals(new int[] {1, 2, 3}, a.dims());
        // round(0.5 * 255) = round(127.5) = 128.
        assertArrayEquals(new byte[] {0, 0, (byte) 128, (byte) 255, (byte) 255, 0}, a.data());
        assertThrows(IllegalArgumentException.class, () -> Digits.writeIdx(f, s, 2, 2));
    }

    @Test
    void fromFilesReadsLabels() throws IOException {
        Path img = dir.resolve("img.idx");
        Path lab = dir.resolve("lab.idx");
        IdxFormat.write(img, new int[] {2, 1, 2}, new byte[] {0, (byte) 255, 51, 102});
        IdxFormat.write(lab, new int[] {2}, new byte[] {7, 3});
        Dataset d = Digits.fromFiles(img, lab);
        assertArrayEquals(new int[] {7, 3}, d.labels());
        assertArrayEquals(new float[] {0f, 1f, 51 / 255f, 102 / 255f}, d.features().dup('c').data().asFloat());
        assertEquals(DataType.FLOAT, d.features().dataType());
        IdxFormat.write(lab, new int[] {3}, new byte[] {7, 3, 1});
        assertThrows(IllegalArgumentException.class, () -> Digits.fromFiles(img, lab));
    }
}
