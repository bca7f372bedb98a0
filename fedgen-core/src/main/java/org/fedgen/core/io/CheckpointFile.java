package org.fedgen.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes {@link Checkpoint}s in a small binary format, atomically (see {@link AtomicFiles}).
 *
 * <p>Format version 2 (version 1 is the same without the provenance field, and is still read, with an empty
 * provenance; a checkpoint without provenance is still written as version 1); every number is little-endian:
 * <pre>
 *  header   magic        8 bytes, ASCII "FEDGCKPT"
 *           version      int32 = 2
 *           payloadBytes int64 = P
 *  payload  round        int64, completed rounds
 *  (P bytes) modelRound  int64, ModelState.round()
 *           provenance   (version 2 only) int32 = J (1..16 MiB), then J bytes of UTF-8 (the run's configuration as
 *                        JSON), then zero bytes up to a multiple of 4
 *           modelParts   int32 = M
 *           aggEntries   int32 = A
 *           M model parts, then A aggregator entries, each:
 *             nameBytes  int32 = L (1..65536), then L bytes of UTF-8, then zero bytes up to a multiple of 4
 *             rank       int32 = R (0..32; model parts have R = 1)
 *             dims       R x int64
 *             values     prod(dims) x float32, raw IEEE bits, row-major
 *  trailer  crc          uint32, CRC-32 of the P payload bytes
 * </pre>
 * The padding keeps every float at an offset divisible by 4. A file is therefore exactly {@code 24 + P} bytes.
 * Values are copied between the ND4J buffers ({@code data().asNio()}) and the file through {@link FloatBuffer} views,
 * in 1 MiB chunks, so any NaN payloads survive and a round trip is bit-identical.
 *
 * <p>Reading checks the size and the CRC before parsing, then bounds every count and length against the payload, so
 * a truncated, corrupted or foreign file gives an {@link IOException} naming the file and the problem, never a huge
 * allocation or a partial result.
 */
public final class CheckpointFile {
    /** Format version written by this class. */
    public static final int VERSION = 2;
    /** The version without provenance, still written for checkpoints that carry none. */
    public static final int VERSION_WITHOUT_PROVENANCE = 1;
    private static final int MAX_PROVENANCE_BYTES = 1 << 24;
    private static final byte[] MAGIC = "FEDGCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = 8 + 4 + 8;
    private static final int TRAILER_BYTES = 4;
    private static final int MAX_NAME_BYTES = 1 << 16;
    private static final int CHUNK_BYTES = 1 << 20;

    private CheckpointFile() {
    }

    /**
     * Atomically writes a checkpoint, replacing any existing file.
     *
     * @throws IOException if the file cannot be written; an existing file is then unchanged
     */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        write(file, checkpoint, UnaryOperator.identity());
    }

    /** As {@link #write(Path, Checkpoint)}, with the file channel wrapped (tests inject failures this way). */
    static void write(Path file, Checkpoint checkpoint, UnaryOperator<WritableByteChannel> wrap) throws IOException {
        List<Entry> entries = entries(checkpoint);
        byte[] provenance = checkpoint.provenance().getBytes(StandardCharsets.UTF_8);
        if (provenance.length > MAX_PROVENANCE_BYTES) {
            throw new IllegalArgumentException("provenance of " + provenance.length + " UTF-8 bytes exceeds "
                    + MAX_PROVENANCE_BYTES);
        }
        int version = provenance.length == 0 ? VERSION_WITHOUT_PROVENANCE : VERSION;
        long payload = 8 + 8 + 4 + 4 + (version == VERSION ? 4 + padded(provenance.length) : 0);
        for (Entry e : entries) {
            payload += e.encodedBytes();
        }
        long payloadBytes = payload;
        AtomicFiles.write(file, raw -> {
            WritableByteChannel channel = wrap.apply(raw);
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(version).putLong(payloadBytes).flip();
            AtomicFiles.writeFully(channel, header);
            PayloadWriter out = new PayloadWriter(channel, payloadBytes);
            out.putLong(checkpoint.round());
            out.putLong(checkpoint.model().round());
            if (version == VERSION) {
                out.putInt(provenance.length);
                out.putBytes(provenance);
                out.putBytes(new byte[padded(provenance.length) - provenance.length]);
            }
            out.putInt(checkpoint.model().parts().size());
            out.putInt(checkpoint.aggregatorState().size());
            for (Entry e : entries) {
                e.writeTo(out);
            }
            out.flush();
            if (out.written != payloadBytes) {
                throw new IllegalStateException("wrote " + out.written + " payload bytes, announced " + payloadBytes);
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) out.crc.getValue()).flip();
            AtomicFiles.writeFully(channel, trailer);
        });
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IOException naming the file and what is wrong if it is missing, truncated, corrupted (CRC mismatch),
     *                     of another format or version, or inconsistent
     */
    public static Checkpoint read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES + TRAILER_BYTES) {
                throw corrupt(file, "only " + size + " bytes, too short for a checkpoint (at least "
                        + (HEADER_BYTES + TRAILER_BYTES) + ")");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, header, 0, file);
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw corrupt(file, "not a fedgen checkpoint (magic bytes " + hex(magic) + ", expected "
                        + hex(MAGIC) + ")");
            }
            int version = header.getInt();
            if (version != VERSION && version != VERSION_WITHOUT_PROVENANCE) {
                throw corrupt(file, "unsupported checkpoint format version " + version + " (this build reads "
                        + VERSION_WITHOUT_PROVENANCE + " and " + VERSION + ")");
            }
            long payload = header.getLong();
            long expected = HEADER_BYTES + payload + TRAILER_BYTES;
            if (payload < 0 || expected != size) {
                throw corrupt(file, (payload >= 0 && size < expected ? "truncated: " : "wrong size: ")
                        + "the header announces " + payload + " payload bytes, i.e. a " + expected
                        + "-byte file, but the file has " + size + " bytes");
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, trailer, HEADER_BYTES + payload, file);
            long stored = Integer.toUnsignedLong(trailer.flip().getInt());
            long computed = payloadCrc(ch, payload, file);
            if (stored != computed) {
                throw corrupt(file, String.format("corrupted: CRC-32 of the payload is %08x, the file says %08x",
                        computed, stored));
            }
            try {
                return parse(new PayloadReader(ch, payload, file), file, version == VERSION);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, "inconsistent content: " + e.getMessage());
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file does not exist");
        }
    }

    private static Checkpoint parse(PayloadReader in, Path file, boolean hasProvenance) throws IOException {
        long round = in.getLong();
        long modelRound = in.getLong();
        String provenance = hasProvenance ? in.getText(MAX_PROVENANCE_BYTES, "the provenance") : "";
        int numParts = in.getInt();
        int numAgg = in.getInt();
        if (round < 0 || numParts < 0 || numAgg < 0) {
            throw corrupt(file, "negative round or count (round " + round + ", " + numParts + " model parts, "
                    + numAgg + " aggregator entries)");
        }
        if ((long) numParts + numAgg > in.remaining() / 8) {
            throw corrupt(file, numParts + " model parts and " + numAgg + " aggregator entries cannot fit in "
                    + in.remaining() + " bytes");
        }
        ModelState.Builder model = ModelState.builder(modelRound);
        LinkedHashMap<String, INDArray> agg = new LinkedHashMap<>();
        java.util.Set<String> partNames = new java.util.HashSet<>();
        for (int i = 0; i < numParts + numAgg; i++) {
            boolean isPart = i < numParts;
            String name = in.getName();
            int rank = in.getInt();
            if (rank < 0 || rank > Checkpoint.MAX_RANK || (isPart && rank != 1)) {
                throw corrupt(file, "entry '" + name + "' has rank " + rank + " (model parts need 1, others 0.."
                        + Checkpoint.MAX_RANK + ")");
            }
            long[] shape = new long[rank];
            long count = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = in.getLong();
                if (shape[d] < 1 || shape[d] > in.remaining() / Float.BYTES) {
                    throw corrupt(file, "entry '" + name + "' has dimension " + shape[d] + " but only "
                            + in.remaining() + " bytes remain");
                }
                count *= shape[d];
                if (count > in.remaining() / Float.BYTES) {
                    throw corrupt(file, "entry '" + name + "' of shape " + java.util.Arrays.toString(shape)
                            + " needs more than the " + in.remaining() + " bytes that remain");
                }
            }
            if (isPart ? !partNames.add(name) : agg.containsKey(name)) {
                throw corrupt(file, "duplicate entry '" + name + "'");
            }
            INDArray a = rank == 0 ? Nd4j.scalar(DataType.FLOAT, 0f) : Nd4j.create(DataType.FLOAT, shape, 'c');
            in.getFloats(nativeFloats(a), count);
            if (isPart) {
                model.part(name, a);
            } else {
                agg.put(name, a);
            }
        }
        if (in.remaining() != 0) {
            throw corrupt(file, in.remaining() + " unexpected bytes after the last entry");
        }
        return new Checkpoint(round, model.build(), agg, provenance);
    }

    /** A float view of an array's own native memory (must be a fresh, contiguous, row-major array). */
    private static FloatBuffer nativeFloats(INDArray a) {
        FloatBuffer f = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        f.limit((int) a.length());
        return f;
    }

    private static List<Entry> entries(Checkpoint c) {
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : c.model().parts().entrySet()) {
            list.add(new Entry(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, INDArray> e : c.aggregatorState().entrySet()) {
            list.add(new Entry(e.getKey(), e.getValue()));
        }
        return list;
    }

    /** One named array, made contiguous and row-major so its buffer can be copied as is. */
    private static final class Entry {
        final byte[] name;
        final long[] shape;
        final INDArray data;

        Entry(String name, INDArray array) {
            this.name = name.getBytes(StandardCharsets.UTF_8);
            if (this.name.length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("name '" + name.substring(0, 40) + "...' is longer than "
                        + MAX_NAME_BYTES + " UTF-8 bytes");
            }
            this.shape = array.shape();
            boolean plain = !array.isView() && array.ordering() == 'c' && array.offset() == 0
                    && array.data().offset() == 0 && array.data().length() == array.length();
            this.data = plain ? array : array.dup('c');
        }

        long encodedBytes() {
            return 4 + padded(name.length) + 4 + 8L * shape.length + 4 * data.length();
        }

        void writeTo(PayloadWriter out) throws IOException {
            out.putInt(name.length);
            out.putBytes(name);
            out.putBytes(new byte[padded(name.length) - name.length]);
            out.putInt(shape.length);
            for (long d : shape) {
                out.putLong(d);
            }
            out.putFloats(nativeFloats(data));
        }
    }

    /**
     * A chunk buffer no larger than the payload: small checkpoints stay cheap, and every field (a name is at most the
     * payload) still fits in one buffer.
     */
    private static int bufferBytes(long payloadBytes) {
        return (int) Math.max(16, Math.min(CHUNK_BYTES, payloadBytes));
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }

    /** Buffers payload bytes, feeding them to the CRC as they go out. */
    private static final class PayloadWriter {
        final WritableByteChannel channel;
        final ByteBuffer buf;
        final CRC32 crc = new CRC32();
        long written;

        PayloadWriter(WritableByteChannel channel, long payloadBytes) {
            this.channel = channel;
            this.buf = ByteBuffer.allocateDirect(bufferBytes(payloadBytes)).order(ByteOrder.LITTLE_ENDIAN);
        }

        void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        void putInt(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void putLong(long v) throws IOException {
            room(8);
            buf.putLong(v);
        }

        void putBytes(byte[] b) throws IOException {
            int off = 0;
            while (off < b.length) {
                room(1);
                int k = Math.min(b.length - off, buf.remaining());
                buf.put(b, off, k);
                off += k;
            }
        }

        void putFloats(FloatBuffer src) throws IOException {
            while (src.hasRemaining()) {
                room(Float.BYTES);
                int k = Math.min(src.remaining(), buf.remaining() / Float.BYTES);
                FloatBuffer dst = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                dst.put(src.slice(src.position(), k));
                src.position(src.position() + k);
                buf.position(buf.position() + k * Float.BYTES);
            }
        }

        void flush() throws IOException {
            buf.flip();
            written += buf.remaining();
            crc.update(buf.duplicate());
            AtomicFiles.writeFully(channel, buf);
            buf.clear();
        }
    }

    /** Reads the payload sequentially with bounds that come from the file's own size. */
    private static final class PayloadReader {
        final FileChannel channel;
        final Path file;
        final ByteBuffer buf;
        long nextFilePos = HEADER_BYTES;
        long unread;

        PayloadReader(FileChannel channel, long payloadBytes, Path file) {
            this.channel = channel;
            this.buf = ByteBuffer.allocateDirect(bufferBytes(payloadBytes)).order(ByteOrder.LITTLE_ENDIAN);
            this.unread = payloadBytes;
            this.file = file;
            buf.limit(0);
        }

        long remaining() {
            return buf.remaining() + unread;
        }

        void need(int n) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            if (remaining() < n) {
                throw corrupt(file, "payload ends in the middle of an entry");
            }
            buf.compact();
            int want = (int) Math.min(buf.remaining(), unread);
            buf.limit(buf.position() + want);
            while (buf.hasRemaining()) {
                int r = channel.read(buf, nextFilePos);
                if (r < 0) {
                    throw corrupt(file, "file shrank while being read");
                }
                nextFilePos += r;
            }
            unread -= want;
            buf.flip();
        }

        int getInt() throws IOException {
            need(4);
            return buf.getInt();
        }

        long getLong() throws IOException {
            need(8);
            return buf.getLong();
        }

        String getName() throws IOException {
            return getText(MAX_NAME_BYTES, "a name");
        }

        /** A length-prefixed, zero-padded UTF-8 string of 1..max bytes. */
        String getText(int max, String what) throws IOException {
            int len = getInt();
            if (len < 1 || len > max || padded(len) > remaining()) {
                throw corrupt(file, "bad length " + len + " of " + what);
            }
            byte[] b = new byte[len];
            int got = 0;
            while (got < len) {
                need(Math.min(4, padded(len) - got));
                int k = Math.min(len - got, buf.remaining());
                buf.get(b, got, k);
                got += k;
            }
            skipPadding(padded(len) - len);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw corrupt(file, what + " is not valid UTF-8");
            }
        }

        void skipPadding(int n) throws IOException {
            need(n);
            buf.position(buf.position() + n);
        }

        void getFloats(FloatBuffer dst, long count) throws IOException {
            long left = count;
            while (left > 0) {
                need(Float.BYTES);
                int k = (int) Math.min(left, buf.remaining() / Float.BYTES);
                FloatBuffer src = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                src.limit(k);
                dst.put(src);
                buf.position(buf.position() + k * Float.BYTES);
                left -= k;
            }
        }
    }

    private static long payloadCrc(FileChannel ch, long payload, Path file) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocateDirect(bufferBytes(payload));
        long pos = HEADER_BYTES;
        long end = HEADER_BYTES + payload;
        while (pos < end) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            readFully(ch, buf, pos, file);
            pos += buf.position();
            buf.flip();
            crc.update(buf);
        }
        return crc.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw corrupt(file, "unexpected end of file at byte " + p);
            }
            p += r;
        }
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException(file + ": " + what);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
