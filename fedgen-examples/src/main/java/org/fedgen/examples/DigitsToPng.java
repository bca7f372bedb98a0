package org.fedgen.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;

/**
 * Writes bundled digits as a folder tree of 8-bit gray PNG files, one folder per client with one class folder per
 * digit: {@code OUT/client-K/<digit>/<index>.png}, the input {@code fedgen train --data-dir OUT} reads. Client k gets
 * the digits k, k + CLIENTS, k + 2·CLIENTS, ... of the bundled (already shuffled) order, PER_CLIENT of them.
 *
 * <p>Usage: {@code DigitsToPng OUT [CLIENTS [PER_CLIENT]]} (defaults 3 clients, 200 digits each).
 */
public final class DigitsToPng {
    private DigitsToPng() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: DigitsToPng OUT [CLIENTS [PER_CLIENT]]");
            System.exit(2);
        }
        int clients = ExampleArgs.positive(args, 1, "CLIENTS", 3);
        int perClient = ExampleArgs.positive(args, 2, "PER_CLIENT", 200);
        write(Path.of(args[0]), clients, perClient);
        System.out.printf("%d clients x %d digits written to %s%n", clients, perClient, Path.of(args[0])
                .toAbsolutePath());
    }

    /**
     * Writes the tree.
     *
     * @throws IllegalArgumentException if clients · perClient exceeds the bundled digits
     */
    public static void write(Path out, int clients, int perClient) throws IOException {
        if ((long) clients * perClient > Digits.BUNDLED_SIZE) {
            throw new IllegalArgumentException(clients + " clients x " + perClient + " digits exceed the "
                    + Digits.BUNDLED_SIZE + " bundled digits");
        }
        Dataset digits = Digits.bundled();
        int[] shape = digits.itemShape();
        for (int k = 0; k < clients; k++) {
            for (int j = 0; j < perClient; j++) {
                int i = k + j * clients;
                Path file = out.resolve("client-" + k).resolve(Integer.toString(digits.label(i)))
                        .resolve(String.format("%04d.png", i));
                Files.createDirectories(file.getParent());
                ImageIO.write(gray(digits.features().getRow(i).toFloatVector(), shape[1], shape[2]), "png",
                        file.toFile());
            }
        }
    }

    /** The bundled pixels are k/255 exactly, so round(v · 255) recovers the stored byte. */
    private static BufferedImage gray(float[] v, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, Math.round(v[y * w + x] * 255f));
            }
        }
        return img;
    }
}
