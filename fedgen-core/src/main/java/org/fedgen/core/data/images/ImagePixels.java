package org.fedgen.core.data.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads one PNG or JPEG file into [0, 1] pixels by an {@link ImageFormat}'s rule. */
final class ImagePixels {
    private ImagePixels() {
    }

    /** One decoded image: channel-first values and the size they have. */
    record Pixels(float[] values, int height, int width) {
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException naming the file if it cannot be read or is not a decodable PNG or JPEG
     */
    static Pixels read(Path file, ImageFormat format) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": cannot read the image file (missing or no read permission)");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // ImageIO's messages ("Error reading PNG image data") do not say which file.
            throw new IOException(file + ": not a readable PNG or JPEG image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IOException(file + ": not a PNG or JPEG image (no decoder recognises its contents)");
        }
        if (format.resizes() && (image.getHeight() != format.height() || image.getWidth() != format.width())) {
            image = resized(image, format.height(), format.width());
        }
        return new Pixels(values(image, format.channels()), image.getHeight(), image.getWidth());
    }

    /** Bilinear resize; gray files stay gray so their values are not sent through a colour conversion. */
    private static BufferedImage resized(BufferedImage image, int height, int width) {
        boolean gray = image.getRaster().getNumBands() <= 2 && image.getColorModel().getNumColorComponents() == 1;
        BufferedImage out = new BufferedImage(width, height,
                gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static float[] values(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        float[] v = new float[channels * plane];
        Raster r = image.getRaster();
        if (image.getColorModel().getNumColorComponents() == 1) {
            // Read the gray samples themselves: getRGB would map a linear-gray file through sRGB and change them.
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float g = r.getSample(x, y, 0) / max;
                    for (int c = 0; c < channels; c++) {
                        v[c * plane + y * w + x] = g;
                    }
                }
            }
            return v;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                float red = ((rgb >> 16) & 0xff) / 255f;
                float green = ((rgb >> 8) & 0xff) / 255f;
                float blue = (rgb & 0xff) / 255f;
                int i = y * w + x;
                if (channels == 1) {
                    v[i] = 0.299f * red + 0.587f * green + 0.114f * blue;
                } else {
                    v[i] = red;
                    v[plane + i] = green;
                    v[2 * plane + i] = blue;
                }
            }
        }
        return v;
    }
}
