package org.fedgen.runs.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    static CsvTable csv(String text) {
        try {
            return CsvTable.parse(new StringReader(text), "t.csv");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsQuotedFieldsAndRemembersLines() {
        CsvTable t = csv("\uFEFFa,b\n1,\"x, y\"\n2,\"say \"\"hi\"\"\"\n");
        assertEquals(List.of("a", "b"), t.header());
        assertEquals(2, t.size());
        assertEquals("x, y", t.get(0, 1));
        assertEquals("say \"hi\"", t.get(1, 1));
        assertEquals(2, t.line(0));
        assertEquals("t.csv line 2, column 'b'", t.where(0, 1));
    }

    @Test
    void raggedRowNamesFileAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv("a,b\n1,2\n\n"));
        assertEquals("t.csv line 3: 1 fields, but the header has 2 columns", e.getMessage());
    }

    @Test
    void refusesRepeatedOrEmptyHeaderNamesAndEmptyFiles() {
        assertEquals("t.csv line 1: column name 'a' repeats",
                assertThrows(IllegalArgumentException.class, () -> csv("a,a\n1,2\n")).getMessage());
        assertEquals("t.csv line 1: column 2 has an empty name",
                assertThrows(IllegalArgumentException.class, () -> csv("a,\n1,2\n")).getMessage());
        assertEquals("t.csv: a header but no rows",
                assertThrows(IllegalArgumentException.class, () -> csv("a,b\n")).getMessage());
        assertEquals("t.csv: empty file, a header line is expected",
                assertThrows(IllegalArgumentException.class, () -> csv("")).getMessage());
    }

    @Test
    void malformedQuoteNamesTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv("a,b\n1,\"x\"y\n"));
        assertEquals(true, e.getMessage().startsWith("t.csv: malformed CSV"), e.getMessage());
    }

    @Test
    void writesWhatItReads(@TempDir Path dir) {
        CsvTable t = csv("a,b\n1,\"x, y\"\n2,\"q\"\"\"\n");
        Path f = dir.resolve("o.csv");
        t.write(f);
        CsvTable back = CsvTable.read(f);
        assertEquals(t.header(), back.header());
        assertEquals("x, y", back.get(0, 1));
        assertEquals("q\"", back.get(1, 1));
    }

    @Test
    void missingFileIsAnIoErrorNamingIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("none.csv");
        assertEquals(false, Files.exists(f));
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> CsvTable.read(f));
        assertEquals(true, e.getMessage().startsWith("cannot read " + f), e.getMessage());
    }
}
