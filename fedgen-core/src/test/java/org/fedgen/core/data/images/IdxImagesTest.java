package org.fedgen.core.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.IdxFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImagesTest {
    @TempDir
    Path dir;

    @Test
    void anyHeightAndWidthWithLabels() throws IOException {
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        IdxFormat.write(img, new int[] {2, 2, 3}, new byte[] {0, 51, 102, (byte) 153, (byte) 204, (byte) 255,
            1, 2, 3, 4, 5, 6});
        IdxFormat.write(lab, new int[] {2}, new byte[] {7, 3});
        Dataset d = IdxImages.read(img, lab);
        assertArrayEquals(new int[] {1, 2, 3}, d.itemShape());
        assertArrayEquals(new int[] {7, 3}, d.labels());
        assertArrayEquals(new float[] {0f, 51 / 255f, 102 / 255f, 153 / 255f, 204 / 255f, 1f},
                d.features().getRow(0).toFloatVector());
        assertEquals(6 / 255f, d.features().getFloat(1, 5), 0f);
    }

    @Test
    void withoutLabelsIsUnlabelled() throws IOException {
        Path img = dir.resolve("img");
        IdxFormat.write(img, new int[] {1, 1, 1}, new byte[] {9});
        assertTrue(!IdxImages.read(img, null).hasLabels());
    }

    @Test
    void labelCountMismatchNamesTheLabelFile() throws IOException {
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        IdxFormat.write(img, new int[] {2, 1, 1}, new byte[] {1, 2});
        IdxFormat.write(lab, new int[] {3}, new byte[] {1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxImages.read(img, lab));
        assertEquals(lab + ": label IDX must have dims [2], one label per image of " + img + ", got [3]",
                e.getMessage());
    }

    @Test
    void badMagicNamesTheFile() throws IOException {
        Path img = dir.resolve("img");
        Files.write(img, new byte[] {0, 0, 9, 3, 0, 0, 0, 1});
        IOException e = assertThrows(IOException.class, () -> IdxImages.read(img, null));
        assertTrue(e.getMessage().startsWith(img + ": not an IDX ubyte file (magic 0x903"), e.getMessage());
    }

    @Test
    void wrongRankNamesTheFile() throws IOException {
        Path img = dir.resolve("img");
        IdxFormat.write(img, new int[] {4}, new byte[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxImages.read(img, null));
        assertEquals(img + ": image IDX must have dims [n, height, width], got [4]", e.getMessage());
    }
}
