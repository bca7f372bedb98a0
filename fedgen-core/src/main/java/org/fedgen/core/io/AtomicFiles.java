package org.fedgen.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file all-or-nothing: the content goes to a temporary file in the same folder, which is flushed to disk
 * ({@code fsync}) and then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}. A reader, or a run
 * restarted after a crash, sees either the old file or the complete new one, never a mix; on failure the temporary
 * file is deleted and the old file is untouched.
 */
public final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {
    }

    /** Writes the whole content of a file to a channel. */
    @FunctionalInterface
    public interface Content {
        /** Writes everything; any exception aborts the replacement. */
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /**
     * Atomically replaces {@code target} (creating missing parent folders) with what {@code content} writes.
     *
     * @throws IOException if writing, syncing or renaming fails; the previous file is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // A hidden name in the same folder keeps the rename on one file system, hence atomic.
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
        syncDirectory(dir);
    }

    /** Atomically replaces {@code target} with the UTF-8 bytes of {@code text}. */
    public static void writeString(Path target, CharSequence text) throws IOException {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(text));
        write(target, channel -> {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        });
    }

    /** Writes a whole buffer to a channel. */
    static void writeFully(WritableByteChannel channel, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.warn("cannot delete temporary file {}: {}", tmp, e.toString());
        }
    }

    /** Makes the rename itself durable; not every platform can open a folder, which only weakens durability. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync folder {}: {}", dir, e.toString());
        }
    }
}
