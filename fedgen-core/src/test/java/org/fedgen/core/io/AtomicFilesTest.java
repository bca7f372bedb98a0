package org.fedgen.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void replacesTheFileAndLeavesNoTemporary() throws IOException {
        Path f = dir.resolve("x.txt");
        AtomicFiles.writeString(f, "old");
        AtomicFiles.writeString(f, "new ü");
        assertEquals("new ü", Files.readString(f));
        assertEquals(List.of("x.txt"), names());
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("x.txt");
        AtomicFiles.writeString(f, "old");
        IOException boom = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(ByteBuffer.wrap("half of the new".getBytes()));
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("x.txt"), names());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, ch -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("x.txt"), names());
    }
}
