package org.fedgen.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {
    @TempDir
    Path dir;

    private static Map<String, Double> row(Object... kv) {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    @Test
    void unionOfColumnsInFirstSeenOrderWithEmptyCells() throws IOException {
        Path f = dir.resolve("runs/metrics.csv");
        MetricsCsv.write(f, List.of(
                row("round", 1.0, "loss", 0.5),
                row("round", 2.0, "fid", 31.25, "loss", 0.25),
                row("loss", null, "round", 3.0, "clients", 10.0)));
        assertEquals("round,loss,fid,clients\n"
                + "1,0.5,,\n"
                + "2,0.25,31.25,\n"
                + "3,,,10\n", Files.readString(f, StandardCharsets.UTF_8));
    }

    @Test
    void rewritesTheWholeFile() throws IOException {
        Path f = dir.resolve("m.csv");
        List<Map<String, Double>> rows = new ArrayList<>();
        rows.add(row("a", 1.0));
        MetricsCsv.write(f, rows);
        rows.add(row("b", 2.0));
        MetricsCsv.write(f, rows);
        assertEquals("a,b\n1,\n,2\n", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may remain");
        }
    }

    @Test
    void integersHaveNoFractionAndOtherValuesRoundTrip() {
        assertEquals("3", MetricsCsv.number(3.0));
        assertEquals("-42", MetricsCsv.number(-42.0));
        assertEquals("0", MetricsCsv.number(-0.0));
        assertEquals("123456789012345", MetricsCsv.number(123456789012345.0));
        assertEquals("0.1", MetricsCsv.number(0.1));
        assertEquals("NaN", MetricsCsv.number(Double.NaN));
        assertEquals("-Infinity", MetricsCsv.number(Double.NEGATIVE_INFINITY));
        double[] values = {0.1, 1.0 / 3, Math.PI, -2.5e-300, Double.MIN_VALUE, Double.MAX_VALUE, 1e15, 1e20,
            123456789.123456789, 0.1 + 0.2, Double.POSITIVE_INFINITY, Double.NaN};
        for (double v : values) {
            String s = MetricsCsv.number(v);
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(Double.parseDouble(s)), s);
        }
    }

    @Test
    void awkwardColumnNamesAreQuoted() {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("a,b", 1.0);
        r.put("say \"hi\"", 2.0);
        assertEquals("\"a,b\",\"say \"\"hi\"\"\"\n1,2\n", MetricsCsv.format(List.of(r)));
    }

    @Test
    void badInputIsRejected() {
        Map<String, Double> nullKey = new HashMap<>();
        nullKey.put(null, 1.0);
        assertThrows(IllegalArgumentException.class, () -> MetricsCsv.format(List.of(nullKey)));
        assertThrows(IllegalArgumentException.class, () -> MetricsCsv.format(List.of(row("", 1.0))));
        List<Map<String, Double>> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> MetricsCsv.format(withNull));
        assertEquals("", MetricsCsv.format(List.of()));
    }
}
