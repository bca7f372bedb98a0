package org.fedgen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFormatTest {
    @TempDir
    Path dir;

    private static final int[] DIMS = {3, 2, 2};
    private static final byte[] DATA = {0, 1, 2, 3, 4, 5, 6, 7, 127, (byte) 128, (byte) 254, (byte) 255};

    @Test
    void writesTheDocumentedBytes() throws IOException {
        Path f = dir.resolve("a.idx");
        IdxFormat.write(f, new int[] {2}, new byte[] {9, (byte) 200});
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 9, (byte) 200}, Files.readAllBytes(f));
    }

    @Test
    void plainRoundTrip() throws IOException {
        Path f = dir.resolve("sub/plain.idx");
        IdxFormat.write(f, DIMS, DATA);
        IdxFormat.UbyteArray a = IdxFormat.read(f);
        assertArrayEquals(DIMS, a.dims());
        assertArrayEquals(DATA, a.data());
        assertEquals(3, a.count());
        assertEquals(255, a.get(11));
        assertEquals(128, a.get(9));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file may remain");
        }
    }

    @Test
    void gzipInputIsDetected() throws IOException {
        Path plain = dir.resolve("x.idx");
        IdxFormat.write(plain, DIMS, DATA);
        Path gz = dir.resolve("x.idx.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        byte[] raw = Files.readAllBytes(gz);
        assertEquals(0x1f, raw[0] & 0xff);
        IdxFormat.UbyteArray a = IdxFormat.read(gz);
        assertArrayEquals(DIMS, a.dims());
        assertArrayEquals(DATA, a.data());
    }

    @Test
    void wrongMagicNamesTheFile() throws IOException {
        Path f = dir.resolve("wrong-magic.idx");
        Files.write(f, new byte[] {0, 0, 13, 1, 0, 0, 0, 1, 5});
        IOException e = assertThrows(IOException.class, () -> IdxFormat.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void truncatedFilesNameTheFile() throws IOException {
        Path full = dir.resolve("full.idx");
        IdxFormat.write(full, DIMS, DATA);
        byte[] bytes = Files.readAllBytes(full);
        // Cut inside the data, inside the dimensions, inside the magic, and to nothing.
        for (int len : new int[] {bytes.length - 1, 18, 9, 6, 2, 0}) {
            Path f = dir.resolve("cut" + len + ".idx");
            Files.write(f, Arrays.copyOf(bytes, len));
            IOException e = assertThrows(IOException.class, () -> IdxFormat.read(f), "length " + len);
            assertTrue(e.getMessage().contains(f.toString()), "length " + len + ": " + e.getMessage());
        }
    }

    @Test
    void truncatedGzipNamesTheFile() throws IOException {
        Path gz = dir.resolve("t.idx.gz");
        byte[] big = new byte[5000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Path plain = dir.resolve("t.idx");
        IdxFormat.write(plain, new int[] {big.length}, big);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        byte[] bytes = Files.readAllBytes(gz);
        // Cut in the compressed data, and inside the gzip header.
        for (int len : new int[] {bytes.length / 2, 5}) {
            Files.write(gz, Arrays.copyOf(bytes, len));
            IOException e = assertThrows(IOException.class, () -> IdxFormat.read(gz));
            assertTrue(e.getMessage().contains(gz.toString()), e.getMessage());
        }
        byte[] corrupt = bytes.clone();
        for (int i = 12; i < 40; i++) {
            corrupt[i] = (byte) 0xff;
        }
        Files.write(gz, corrupt);
        IOException e = assertThrows(IOException.class, () -> IdxFormat.read(gz));
        assertTrue(e.getMessage().contains(gz.toString()), e.getMessage());
    }

    @Test
    void writeRejectsDimsThatDoNotMatchTheData() {
        assertThrows(IllegalArgumentException.class, () -> IdxFormat.write(dir.resolve("b"), new int[] {2, 2},
                new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> IdxFormat.write(dir.resolve("b"), new int[] {-1},
                new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> IdxFormat.write(dir.resolve("b"), new int[] {1, 1, 1, 1, 1},
                new byte[1]));
    }
}
