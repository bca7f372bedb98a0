package org.fedgen.core.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    /** A gray PNG whose pixel (x, y) is {@code values[y * w + x]}. */
    static void grayPng(Path file, int h, int w, int... values) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, values[(y * w + x) % values.length]);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static void rgbPng(Path file, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, rgb);
        img.setRGB(1, 0, 0xffffff);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void grayPngsReadBackExactlyWithLabelsFromSortedClassFolders() throws IOException {
        grayPng(dir.resolve("zebra/a.png"), 2, 3, 0, 51, 102, 153, 204, 255);
        grayPng(dir.resolve("apple/b.png"), 2, 3, 255);
        grayPng(dir.resolve("apple/a.png"), 2, 3, 0);
        ImageFolder.LabelledImages li = ImageFolder.read(dir, ImageFormat.grayscale());
        assertEquals(List.of("apple", "zebra"), li.classes());
        Dataset d = li.data();
        assertArrayEquals(new int[] {1, 2, 3}, d.itemShape());
        // apple/a.png, apple/b.png, zebra/a.png: classes sorted, files sorted within a class
        assertArrayEquals(new int[] {0, 0, 1}, d.labels());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0}, d.features().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, d.features().getRow(1).toFloatVector());
        assertArrayEquals(new float[] {0f, 51 / 255f, 102 / 255f, 153 / 255f, 204 / 255f, 1f},
                d.features().getRow(2).toFloatVector());
    }

    @Test
    void imageFilesAloneAreUnlabelled() throws IOException {
        grayPng(dir.resolve("x.png"), 1, 1, 10);
        grayPng(dir.resolve("y.PNG"), 1, 1, 20);
        Files.writeString(dir.resolve(".DS_Store"), "ignored");
        ImageFolder.LabelledImages li = ImageFolder.read(dir, ImageFormat.grayscale());
        assertFalse(li.data().hasLabels());
        assertTrue(li.classes().isEmpty());
        assertArrayEquals(new float[] {10 / 255f, 20 / 255f}, li.data().features().reshape(2).toFloatVector());
    }

    @Test
    void colourBecomesBt601LumaOrStaysRgbWithThreeChannels() throws IOException {
        rgbPng(dir.resolve("c/p.png"), 0xff8000);
        Dataset gray = ImageFolder.read(dir, ImageFormat.grayscale()).data();
        assertArrayEquals(new int[] {1, 1, 2}, gray.itemShape());
        float luma = 0.299f * 1f + 0.587f * (128 / 255f) + 0.114f * 0f;
        assertArrayEquals(new float[] {luma, 0.299f + 0.587f + 0.114f}, gray.features().getRow(0).toFloatVector(),
                0f);
        Dataset rgb = ImageFolder.read(dir, new ImageFormat(3, 0, 0)).data();
        assertArrayEquals(new int[] {3, 1, 2}, rgb.itemShape());
        // channel-first: R plane, G plane, B plane
        assertArrayEquals(new float[] {1f, 1f, 128 / 255f, 1f, 0f, 1f}, rgb.features().getRow(0).toFloatVector());
    }

    @Test
    void grayFileInThreeChannelsRepeatsItsValue() throws IOException {
        grayPng(dir.resolve("g.png"), 1, 1, 77);
        Dataset rgb = ImageFolder.read(dir, new ImageFormat(3, 0, 0)).data();
        assertArrayEquals(new float[] {77 / 255f, 77 / 255f, 77 / 255f}, rgb.features().getRow(0).toFloatVector());
    }

    @Test
    void jpegIsRead() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        Files.createDirectories(dir.resolve("k"));
        assertTrue(ImageIO.write(img, "jpeg", dir.resolve("k/a.jpg").toFile()));
        Dataset d = ImageFolder.read(dir, ImageFormat.grayscale()).data();
        assertArrayEquals(new int[] {1, 4, 4}, d.itemShape());
        assertEquals(0.0, d.features().maxNumber().doubleValue(), 0.0);
    }

    @Test
    void targetSizeResizesOtherSizesAndKeepsMatchingOnes() throws IOException {
        grayPng(dir.resolve("a.png"), 2, 2, 100);
        grayPng(dir.resolve("b.png"), 4, 4, 7, 8, 9, 10);
        Dataset d = ImageFolder.read(dir, new ImageFormat(1, 4, 4)).data();
        assertArrayEquals(new int[] {1, 4, 4}, d.itemShape());
        // bilinear interpolation of a constant image is that constant
        float[] a = d.features().getRow(0).toFloatVector();
        for (float v : a) {
            assertEquals(100 / 255f, v, 0f);
        }
        assertArrayEquals(new float[] {7 / 255f, 8 / 255f, 9 / 255f, 10 / 255f},
                java.util.Arrays.copyOf(d.features().getRow(1).toFloatVector(), 4));
    }

    @Test
    void mixedSizesWithoutTargetSizeNameBothFiles() throws IOException {
        grayPng(dir.resolve("d/a.png"), 2, 2, 1);
        grayPng(dir.resolve("d/b.png"), 2, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertTrue(e.getMessage().contains(dir.resolve("d/b.png").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("2x2"), e.getMessage());
    }

    @Test
    void corruptPngIsNamed() throws IOException {
        grayPng(dir.resolve("d/a.png"), 8, 8, 3, 200);
        Path bad = dir.resolve("d/b.png");
        byte[] good = Files.readAllBytes(dir.resolve("d/a.png"));
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
        IOException e = assertThrows(IOException.class, () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertTrue(e.getMessage().startsWith(bad.toString() + ": not a readable PNG or JPEG image"), e.getMessage());
    }

    @Test
    void fileWithImageNameButOtherContentIsNamed() throws IOException {
        Path bad = dir.resolve("notes.png");
        Files.writeString(bad, "hello");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertEquals(bad + ": not a PNG or JPEG image (no decoder recognises its contents)", e.getMessage());
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        Path link = dir.resolve("gone.png");
        Files.createSymbolicLink(link, dir.resolve("missing-target.png"));
        IOException e = assertThrows(IOException.class, () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertEquals(link + ": cannot read the image file (missing or no read permission)", e.getMessage());
    }

    @Test
    void emptyFolderAndEmptyClassFolderAreNamed() throws IOException {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertEquals(dir + ": folder is empty", empty.getMessage());
        grayPng(dir.resolve("one/a.png"), 1, 1, 1);
        Files.createDirectories(dir.resolve("two"));
        Files.writeString(dir.resolve("two/.hidden"), "x");
        IllegalArgumentException cls = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertEquals(dir.resolve("two") + ": folder is empty", cls.getMessage());
    }

    @Test
    void otherFilesAndMixedLayoutsAreRefused() throws IOException {
        grayPng(dir.resolve("c/a.png"), 1, 1, 1);
        Files.writeString(dir.resolve("c/readme.txt"), "x");
        IllegalArgumentException txt = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertEquals(dir.resolve("c/readme.txt") + ": not a .png, .jpg or .jpeg file", txt.getMessage());
        Files.delete(dir.resolve("c/readme.txt"));
        grayPng(dir.resolve("top.png"), 1, 1, 1);
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.read(dir, ImageFormat.grayscale()));
        assertTrue(mixed.getMessage().startsWith(dir + " mixes image files (top.png) with class folders (c)"),
                mixed.getMessage());
    }

    @Test
    void classOutsideTheVocabularyIsNamed() throws IOException {
        grayPng(dir.resolve("cat/a.png"), 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.read(dir, List.of("dog"), ImageFormat.grayscale()));
        assertEquals(dir.resolve("cat") + ": class 'cat' is not one of [dog]", e.getMessage());
    }

    @Test
    void formatRefusesBadChannelsAndSizes() {
        assertThrows(IllegalArgumentException.class, () -> new ImageFormat(2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ImageFormat(1, 28, 0));
        assertThrows(IllegalArgumentException.class, () -> new ImageFormat(1, -1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ImageFormat(1, ImageFormat.MAX_SIDE + 1, 1));
    }
}
