package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedgen.core.data.IdxFormat;
import org.fedgen.examples.DigitsToPng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's image acceptance: a folder tree of PNG digits, one folder per client with class subfolders, trains with
 * {@code fedgen train --data-dir}; a corrupt PNG in it fails with one line naming the file.
 */
class ImageDataCliTest {
    @TempDir
    Path dir;

    private static String run(int expectedStatus, String... args) {
        return FedgenCliTest.run(expectedStatus, args);
    }

    @Test
    void pngFolderTreeTrainsAndWritesSamples() throws Exception {
        Path data = dir.resolve("png");
        DigitsToPng.write(data, 3, 40);
        Path out = dir.resolve("run");
        run(0, "train", "--data-dir", data.toString(), "--model", "vae", "--rounds", "2", "--local-steps", "2",
                "--workers", "1", "--samples", "8", "--quality-samples", "20", "--out", out.toString());
        assertArrayEquals(new int[] {8, 28, 28}, IdxFormat.read(out.resolve("samples-idx3-ubyte")).dims());
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
        String header = Files.readAllLines(out.resolve("metrics.csv")).get(0);
        // 28x28 grayscale digits: the digit-classifier metrics apply
        assertTrue(header.contains("elbo") && header.contains("fid"), header);
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size(), "a header and two rounds");
        assertEquals(java.util.List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                Files.readAllLines(out.resolve("classes.txt")));
    }

    @Test
    void corruptPngFailsWithOneLineNamingTheFile() throws Exception {
        Path data = dir.resolve("png");
        DigitsToPng.write(data, 2, 5);
        Path bad;
        try (var files = Files.walk(data.resolve("client-1"))) {
            bad = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(b, b.length / 2));
        String err = run(1, "train", "--data-dir", data.toString(), "--rounds", "1", "--out",
                dir.resolve("run").toString()).trim();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("fedgen: " + bad + ": not a readable PNG or JPEG image"), err);
    }

    @Test
    void optionsTheClientFoldersDecideAreRefused() throws Exception {
        String err = run(2, "train", "--data-dir", dir.toString(), "--clients", "5").trim();
        assertEquals("fedgen: --clients applies only with the bundled digits or --data (with --data-dir the client "
                + "folders are the partition), got --data-dir " + dir, err);
        String both = run(2, "train", "--data-dir", dir.toString(), "--data", "x.idx").trim();
        assertTrue(both.startsWith("fedgen: --data-dir " + dir + " and --data x.idx cannot be combined"), both);
        String size = run(2, "train", "--data-dir", dir.toString(), "--image-size", "28").trim();
        assertEquals("fedgen: --image-size must be HxW, e.g. 28x28, got '28'", size);
    }
}
