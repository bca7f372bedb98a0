package org.fedgen.core.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads and writes IDX files of unsigned bytes (the MNIST format: magic {@code 0x0000 08 rank}, big-endian int32
 * dimensions, then the data), optionally gzip-compressed. Reading detects gzip by its magic bytes.
 */
public final class IdxFormat {
    private static final int UBYTE = 0x08;

    private IdxFormat() {
    }

    /** An IDX ubyte array: its dimensions and its values 0–255 in row-major order. */
    public record UbyteArray(int[] dims, byte[] data) {
        /** The number of items (the first dimension). */
        public int count() {
            return dims[0];
        }

        /** Value i as an int in 0–255. */
        public int get(int i) {
            return data[i] & 0xff;
        }
    }

    /** Reads an IDX ubyte file, gzip or plain. */
    public static UbyteArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads an IDX ubyte stream, gzip or plain.
     *
     * @param source a name for error messages
     * @throws IOException naming the source if the magic number, type or length is wrong
     */
    public static UbyteArray read(InputStream raw, String source) throws IOException {
        try {
            return readNamed(raw, source);
        } catch (IOException e) {
            // The gzip layer reports corrupt or truncated streams without saying which file they came from.
            if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) {
                throw e;
            }
            throw new IOException(source + ": cannot read IDX data: " + e, e);
        }
    }

    private static UbyteArray readNamed(InputStream raw, String source) throws IOException {
        BufferedInputStream buf = new BufferedInputStream(raw, 1 << 16);
        buf.mark(2);
        int b0 = buf.read();
        int b1 = buf.read();
        buf.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buf, 1 << 16) : buf;
        DataInputStream din = new DataInputStream(in);
        int magic;
        try {
            magic = din.readInt();
        } catch (EOFException e) {
            throw new IOException(source + ": empty or truncated IDX file", e);
        }
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UBYTE) {
            throw new IOException(source + ": not an IDX ubyte file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x000008NN)");
        }
        int rank = magic & 0xff;
        if (rank < 1 || rank > 4) {
            throw new IOException(source + ": IDX rank " + rank + " not supported (1 to 4)");
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = din.readInt();
            } catch (EOFException e) {
                throw new IOException(source + ": truncated in the dimensions (rank " + rank + ")", e);
            }
            if (dims[i] < 0) {
                throw new IOException(source + ": negative dimension " + dims[i]);
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": " + total + " values is too many");
        }
        byte[] data = new byte[(int) total];
        try {
            din.readFully(data);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated: dims " + Arrays.toString(dims) + " need " + total
                    + " bytes", e);
        }
        return new UbyteArray(dims, data);
    }

    /**
     * Writes an IDX ubyte file atomically (a temporary file in the same folder, then a rename), uncompressed.
     *
     * @throws IllegalArgumentException if the dims do not match the data length
     */
    public static void write(Path file, int[] dims, byte[] data) throws IOException {
        long total = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            total *= d;
        }
        if (dims.length < 1 || dims.length > 4 || total != data.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " do not match " + data.length
                    + " bytes (rank 1 to 4)");
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt((UBYTE << 8) | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
