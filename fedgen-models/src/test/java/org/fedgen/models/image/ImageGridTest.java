package org.fedgen.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {

    @Test
    void pngRoundTripsEveryPixelAndTheBorder(@TempDir Path dir) throws IOException {
        int n = 5;
        int h = 3;
        int w = 4;
        float[][] v = new float[n][h * w];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                v[i][p] = ((i * 37 + p * 11) % 256) / 255f;
            }
        }
        Path file = dir.resolve("sub/grid.png");
        ImageGrid.write(file, Nd4j.createFromArray(v), h, w);

        BufferedImage img = ImageIO.read(file.toFile());
        // 5 tiles -> 3 columns x 2 rows, each tile plus a 2-px border, plus the outer border.
        assertEquals(2 + 3 * (4 + 2), img.getWidth());
        assertEquals(2 + 2 * (3 + 2), img.getHeight());
        Raster r = img.getRaster();
        assertEquals(1, r.getNumBands());
        boolean[][] inTile = new boolean[img.getHeight()][img.getWidth()];
        for (int i = 0; i < n; i++) {
            int x0 = ImageGrid.tileX(i, 3, w);
            int y0 = ImageGrid.tileY(i, 3, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(Math.round(v[i][y * w + x] * 255), r.getSample(x0 + x, y0 + y, 0),
                            "sample " + i + " pixel (" + y + ", " + x + ")");
                    inTile[y0 + y][x0 + x] = true;
                }
            }
        }
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (!inTile[y][x]) {
                    assertEquals(0, r.getSample(x, y, 0), "border or empty slot at (" + y + ", " + x + ")");
                }
            }
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void sixtyFourDigitsMakeAnEightByEightGridAndOverwriteWorks(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("samples.png");
        ImageGrid.write(file, Nd4j.zeros(DataType.FLOAT, 64, 784), 28, 28);
        ImageGrid.write(file, Nd4j.ones(DataType.FLOAT, 64, 784), 28, 28);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(2 + 8 * 30, img.getWidth());
        assertEquals(2 + 8 * 30, img.getHeight());
        assertEquals(255, img.getRaster().getSample(2, 2, 0));
        assertEquals(0, img.getRaster().getSample(1, 2, 0));
        assertEquals(8, ImageGrid.defaultColumns(64));
        assertEquals(9, ImageGrid.defaultColumns(65));
    }

    @Test
    void rejectsValuesOutsideTheUnitIntervalAndWrongShapes(@TempDir Path dir) {
        Path file = dir.resolve("x.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(file,
                Nd4j.createFromArray(new float[][] {{0f, 1.5f, 0f, 0f}}), 2, 2));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("pixel 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(file,
                Nd4j.createFromArray(new float[][] {{Float.NaN, 0f, 0f, 0f}}), 2, 2));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(file,
                Nd4j.zeros(DataType.FLOAT, 2, 5), 2, 2));
        assertTrue(e.getMessage().contains("5 columns"), e.getMessage());
        assertTrue(Files.notExists(file));
    }
}
