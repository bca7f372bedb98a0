package org.fedgen.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.fedgen.core.ModelState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class CheckpointFileTest {
    @TempDir
    Path dir;

    private static float[] values(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        float[] special = {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, 1e-40f};
        System.arraycopy(special, 0, v, 0, Math.min(n, special.length));
        return v;
    }

    /** Parts with odd-length UTF-8 names, a view into a flat vector and a part larger than the 1 MiB chunk. */
    private static Checkpoint sample(long round) {
        INDArray flat = Nd4j.createFromArray(values(50, 2));
        ModelState model = ModelState.builder(round)
                .part("generator", Nd4j.createFromArray(values(300_001, 1)))
                .part("disc-β", flat.get(NDArrayIndex.interval(7, 30)))
                .part("s", Nd4j.createFromArray(new float[] {3.5f}))
                .build();
        Map<String, INDArray> agg = new LinkedHashMap<>();
        agg.put("m", Nd4j.createFromArray(values(1000, 3)));
        agg.put("v[3x4]", Nd4j.createFromArray(values(12, 4)).reshape('c', 3, 4));
        agg.put("fortran", Nd4j.createFromArray(values(6, 5)).reshape('c', 2, 3).dup('f'));
        agg.put("step", Nd4j.scalar(DataType.FLOAT, 11f));
        return new Checkpoint(round + 1, model, agg);
    }

    private static int[] bits(INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    private static void assertBitIdentical(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.round(), actual.round());
        assertTrue(expected.model().bitEquals(actual.model()), "model state differs");
        assertEquals(List.copyOf(expected.aggregatorState().keySet()), List.copyOf(actual.aggregatorState().keySet()));
        for (String k : expected.aggregatorState().keySet()) {
            INDArray e = expected.aggregatorState().get(k);
            INDArray a = actual.aggregatorState().get(k);
            assertArrayEquals(e.shape(), a.shape(), k);
            assertEquals(DataType.FLOAT, a.dataType());
            assertArrayEquals(bits(e), bits(a), k);
        }
    }

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static Checkpoint tiny() {
        return Checkpoint.of(3, ModelState.builder(3).part("w", Nd4j.createFromArray(1.5f, -2f)).build());
    }

    @Test
    void roundTripIsBitIdentical() throws IOException {
        Checkpoint c = sample(6);
        Path f = dir.resolve("sub/ckpt.bin");
        CheckpointFile.write(f, c);
        Checkpoint back = CheckpointFile.read(f);
        assertBitIdentical(c, back);
        assertEquals(6, back.model().round());
        assertEquals(List.of("generator", "disc-β", "s"), List.copyOf(back.model().partNames()));
        assertArrayEquals(new long[0], back.aggregatorState().get("step").shape());
        Path g = dir.resolve("sub/again.bin");
        CheckpointFile.write(g, back);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g), "writing is deterministic");
    }

    @Test
    void layoutMatchesTheDocumentedFormat() throws IOException {
        Path f = dir.resolve("tiny.bin");
        CheckpointFile.write(f, tiny());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        // payload = round 8 + model round 8 + counts 4 + 4, part "w": name length 4 + name padded 4 + rank 4 + dim 8
        // + 2 floats 8 = 52; file = 8 + 4 + 8 + 52 + 4 = 76.
        assertEquals(76, b.limit());
        byte[] magic = new byte[8];
        b.get(magic);
        assertEquals("FEDGCKPT", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt());
        assertEquals(52, b.getLong());
        assertEquals(3, b.getLong());
        assertEquals(3, b.getLong());
        assertEquals(1, b.getInt());
        assertEquals(0, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals('w', b.get());
        assertEquals(0, b.get() | b.get() | b.get());
        assertEquals(1, b.getInt());
        assertEquals(2, b.getLong());
        assertEquals(1.5f, b.getFloat(), 0f);
        assertEquals(-2f, b.getFloat(), 0f);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 20, 52);
        assertEquals((int) crc.getValue(), b.getInt());
    }

    @Test
    void provenanceIsStoredAsVersion2WithItsDocumentedLayout() throws IOException {
        Path f = dir.resolve("prov.bin");
        String json = "{\"a\":\"é\"}";
        CheckpointFile.write(f, tiny().withProvenance(json));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        // The version 1 payload of 52 bytes gains length 4 + the 10 UTF-8 bytes of {"a":"é"} padded to 12 = 68.
        assertEquals(8 + 4 + 8 + 68 + 4, b.limit());
        b.position(8);
        assertEquals(2, b.getInt());
        assertEquals(68, b.getLong());
        assertEquals(3, b.getLong());
        assertEquals(3, b.getLong());
        assertEquals(10, b.getInt());
        byte[] text = new byte[10];
        b.get(text);
        assertEquals(json, new String(text, StandardCharsets.UTF_8));
        assertEquals(0, b.get() | b.get());
        assertEquals(1, b.getInt());
        Checkpoint back = CheckpointFile.read(f);
        assertEquals(json, back.provenance());
        assertBitIdentical(tiny(), back);
        assertEquals("", CheckpointFile.read(writeTiny("v1.bin")).provenance(), "a version 1 file has none");
    }

    @Test
    void everyFlippedByteOfAVersion2FileIsDetected() throws IOException {
        Path f = dir.resolve("prov.bin");
        CheckpointFile.write(f, tiny().withProvenance("{}"));
        byte[] good = Files.readAllBytes(f);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(f, bad);
            int at = i;
            assertThrows(IOException.class, () -> CheckpointFile.read(f), () -> "flip at byte " + at);
        }
    }

    @Test
    void requireFiniteNamesTheFirstNonFiniteEntry() {
        Checkpoint ok = tiny();
        ok.requireFinite();
        Checkpoint bad = Checkpoint.of(1, ModelState.builder(1).part("w", Nd4j.createFromArray(1f, Float.NaN))
                .build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::requireFinite);
        assertEquals("model part 'w' has the non-finite value NaN at index 1", e.getMessage());
    }

    private Path writeTiny(String name) throws IOException {
        Path f = dir.resolve(name);
        CheckpointFile.write(f, tiny());
        return f;
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        Path good = dir.resolve("good.bin");
        CheckpointFile.write(good, tiny());
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("bad.bin");
        for (int i = 0; i < bytes.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) mask;
                Files.write(bad, copy);
                IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(bad),
                        "byte " + i + " mask " + mask);
                assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            }
        }
    }

    @Test
    void aFlippedDataByteIsReportedAsACrcMismatch() throws IOException {
        Path f = dir.resolve("big.bin");
        CheckpointFile.write(f, sample(1));
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(f, bytes);
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("CRC"), e.getMessage());
    }

    @Test
    void truncatedExtendedForeignAndMissingFilesAreNamed() throws IOException {
        Path good = dir.resolve("good.bin");
        CheckpointFile.write(good, tiny());
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("bad.bin");
        for (int len = 0; len < bytes.length; len++) {
            Files.write(bad, Arrays.copyOf(bytes, len));
            IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(bad), "length " + len);
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
        Files.write(bad, Arrays.copyOf(bytes, bytes.length - 10));
        IOException cut = assertThrows(IOException.class, () -> CheckpointFile.read(bad));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        Files.write(bad, Arrays.copyOf(bytes, bytes.length + 1));
        assertThrows(IOException.class, () -> CheckpointFile.read(bad));
        Files.writeString(bad, "round,loss\n1,0.5\n2,0.25\n");
        IOException foreign = assertThrows(IOException.class, () -> CheckpointFile.read(bad));
        assertTrue(foreign.getMessage().contains("not a fedgen checkpoint"), foreign.getMessage());
        Path missing = dir.resolve("missing.bin");
        IOException none = assertThrows(IOException.class, () -> CheckpointFile.read(missing));
        assertTrue(none.getMessage().contains(missing.toString()), none.getMessage());
    }

    /** A channel that accepts {@code budget} bytes and then fails, like a process killed or a disk filling up. */
    private static WritableByteChannel failingAfter(WritableByteChannel inner, long budget) {
        return new WritableByteChannel() {
            long left = budget;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (left <= 0) {
                    throw new IOException("simulated crash");
                }
                int n = (int) Math.min(left, src.remaining());
                ByteBuffer part = src.slice().limit(n);
                int w = inner.write(part);
                src.position(src.position() + w);
                left -= w;
                return w;
            }

            @Override
            public boolean isOpen() {
                return inner.isOpen();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Test
    void aCrashDuringWriteKeepsThePreviousCheckpoint() throws IOException {
        Path f = dir.resolve("ckpt.bin");
        Checkpoint old = sample(4);
        CheckpointFile.write(f, old);
        byte[] before = Files.readAllBytes(f);
        // Fail in the header, in the first chunk, and after the first full 1 MiB chunk.
        for (long budget : new long[] {10, 100, (1 << 20) + 20 + 1000}) {
            IOException e = assertThrows(IOException.class,
                    () -> CheckpointFile.write(f, sample(5), ch -> failingAfter(ch, budget)));
            assertEquals("simulated crash", e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(f), "budget " + budget);
            assertEquals(List.of("ckpt.bin"), names(), "budget " + budget);
        }
        assertBitIdentical(old, CheckpointFile.read(f));
        CheckpointFile.write(f, sample(5));
        assertEquals(6, CheckpointFile.read(f).round());
    }

    @Test
    void checkpointValidatesItsArguments() {
        ModelState m = tiny().model();
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(-1, m));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(1, m, Map.of("d", Nd4j.createFromArray(1.0, 2.0))));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(1, m, Map.of(" ", Nd4j.createFromArray(1f))));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(1, m, Map.of("e", Nd4j.create(DataType.FLOAT, 0))));
        assertThrows(UnsupportedOperationException.class,
                () -> tiny().aggregatorState().put("x", Nd4j.createFromArray(1f)));
    }
}
