package org.fedgen.models.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Renders grey-scale samples as one PNG grid: tiles of h x w pixels in a near-square layout (8 x 8 for 64 samples),
 * separated and surrounded by a black border of {@value #BORDER} pixels. Pixel value v in [0, 1] becomes the grey level
 * round(255 v).
 */
public final class ImageGrid {
    /** Width in pixels of the border around and between tiles. */
    public static final int BORDER = 2;

    private ImageGrid() {
    }

    /** Columns of the default layout for n tiles: ceil(sqrt(n)). */
    public static int defaultColumns(int n) {
        int c = (int) Math.ceil(Math.sqrt(n));
        while ((long) c * c < n) {
            c++;
        }
        return c;
    }

    /**
     * Writes the grid of {@code samples} to {@code file} atomically (a temporary file in the same directory, then an
     * atomic rename), so readers never see a partial image.
     *
     * @param samples [n, h * w] values in [0, 1], one sample per row
     * @throws IllegalArgumentException for a wrong shape or a value outside [0, 1] (including NaN)
     */
    public static void write(Path file, INDArray samples, int height, int width) throws IOException {
        write(file, samples, height, width, defaultColumns(checkedRows(samples)));
    }

    /** As {@link #write(Path, INDArray, int, int)} with the given number of columns. */
    public static void write(Path file, INDArray samples, int height, int width, int columns) throws IOException {
        Objects.requireNonNull(file, "file");
        BufferedImage image = render(samples, height, width, columns);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available in javax.imageio");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The grid as an 8-bit grey image (see {@link #write(Path, INDArray, int, int, int)}). */
    public static BufferedImage render(INDArray samples, int height, int width, int columns) {
        int n = checkedRows(samples);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("tile size must be positive, got " + height + "x" + width);
        }
        if (samples.columns() != (long) height * width) {
            throw new IllegalArgumentException("samples have " + samples.columns() + " columns but tiles of "
                    + height + "x" + width + " need " + (long) height * width);
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        BufferedImage image = new BufferedImage(BORDER + cols * (width + BORDER), BORDER + rows * (height + BORDER),
                BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        float[][] values = samples.toFloatMatrix();
        int[] tile = new int[height * width];
        for (int i = 0; i < n; i++) {
            float[] v = values[i];
            for (int p = 0; p < tile.length; p++) {
                if (!(v[p] >= 0f && v[p] <= 1f)) {
                    throw new IllegalArgumentException("sample " + i + " pixel " + p + " is " + v[p]
                            + ", outside [0, 1]");
                }
                tile[p] = Math.round(v[p] * 255f);
            }
            raster.setPixels(tileX(i, cols, width), tileY(i, cols, height), width, height, tile);
        }
        return image;
    }

    /** Left pixel column of tile i in a grid of {@code columns}. */
    public static int tileX(int i, int columns, int width) {
        return BORDER + (i % columns) * (width + BORDER);
    }

    /** Top pixel row of tile i in a grid of {@code columns}. */
    public static int tileY(int i, int columns, int height) {
        return BORDER + (i / columns) * (height + BORDER);
    }

    private static int checkedRows(INDArray samples) {
        Objects.requireNonNull(samples, "samples");
        if (samples.rank() != 2 || samples.rows() < 1) {
            throw new IllegalArgumentException("samples must be [n >= 1, h*w], got shape "
                    + Arrays.toString(samples.shape()));
        }
        return (int) samples.rows();
    }
}
