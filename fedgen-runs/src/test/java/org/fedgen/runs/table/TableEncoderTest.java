package org.fedgen.runs.table;

import static org.fedgen.runs.table.CsvTableTest.csv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class TableEncoderTest {
    private static final String CSV = "n,i,c,b,d\n1.5,3,x,true,2024-01-02\n-2.0,7,y,FALSE,2024-01-01\n0.25,5,x,"
            + "false,2023-12-31\n";

    private static TableEncoder fitted(CsvTable t, TableSchema declared) {
        return new TableEncoder(TableStatistics.of(t, declared).fit(declared));
    }

    @Test
    void encodesEachTypeToItsFeaturesInZeroOne() {
        TableEncoder e = fitted(csv(CSV), TableSchema.empty());
        // n, i, c (x, y one-hot), b, d
        assertEquals(6, e.width());
        float[][] x = e.encode(csv(CSV)).toFloatMatrix();
        // n: (1.5 + 2) / 3.5 = 1; i: (3 - 3) / 4 = 0; c = x; b = 1; d: (19724 - 19722) / 2 = 1
        assertArrayEquals(new float[] {1f, 0f, 1f, 0f, 1f, 1f}, x[0]);
        assertArrayEquals(new float[] {0f, 1f, 0f, 1f, 0f, 0.5f}, x[1]);
        // n: 2.25 / 3.5
        assertArrayEquals(new float[] {(float) (2.25 / 3.5), 0.5f, 1f, 0f, 0f, 0f}, x[2]);
    }

    @Test
    void decodingTheEncodingGivesTheRowsBackInTheirTypes() {
        CsvTable t = csv(CSV);
        TableEncoder e = fitted(t, TableSchema.empty());
        List<String[]> back = e.decode(e.encode(t));
        assertArrayEquals(new String[] {"1.50", "3", "x", "true", "2024-01-02"}, back.get(0));
        assertArrayEquals(new String[] {"-2.00", "7", "y", "false", "2024-01-01"}, back.get(1));
        assertArrayEquals(new String[] {"0.25", "5", "x", "false", "2023-12-31"}, back.get(2));
    }

    @Test
    void decodingRoundsClampsAndTakesTheArgmax() {
        TableEncoder e = fitted(csv(CSV), TableSchema.empty());
        String[] row = e.decode(Nd4j.createFromArray(new float[][] {{1.7f, 0.49f, 0.2f, 0.3f, 0.5f, -3f}})).get(0);
        // n clamps to its max; i = 3 + 0.49 * 4 = 4.96 -> 5; c: y beats x; b: 0.5 -> true; d clamps to its min
        assertArrayEquals(new String[] {"1.50", "5", "y", "true", "2023-12-31"}, row);
    }

    @Test
    void missingValuesFollowTheirPolicy() {
        TableSchema declared = TableSchema.parse("{\"columns\": {\"n\": {\"type\": \"numeric\", \"missing\": "
                + "\"mean\"}, \"c\": {\"type\": \"categorical\", \"missing\": \"category\"}}}", "s.json");
        CsvTable t = csv("n,c\n0,a\n,b\n3,\n");
        TableEncoder e = fitted(t, declared);
        float[][] x = e.encode(t).toFloatMatrix();
        // the missing n is the mean 1.5, scaled 0.5; the missing c is the last category
        assertArrayEquals(new float[] {0.5f, 0f, 1f, 0f}, x[1]);
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, x[2]);
        assertEquals("", e.decode(e.encode(t)).get(2)[1]);
    }

    @Test
    void unknownCategoryAndBadNumberAtEncodingNameFileLineAndColumn() {
        TableEncoder e = fitted(csv(CSV), TableSchema.empty());
        assertEquals("t.csv line 2, column 'c': unknown category 'z'; known: [x, y]",
                assertThrows(IllegalArgumentException.class,
                        () -> e.encode(csv("n,i,c,b,d\n1,3,z,true,2024-01-01\n"))).getMessage());
        assertEquals("t.csv line 2, column 'i': '3.5' is not an integer",
                assertThrows(IllegalArgumentException.class,
                        () -> e.encode(csv("n,i,c,b,d\n1,3.5,x,true,2024-01-01\n"))).getMessage());
        assertEquals("t.csv line 2, column 'd': '2024/01/01' is not a date (yyyy-MM-dd)",
                assertThrows(IllegalArgumentException.class,
                        () -> e.encode(csv("n,i,c,b,d\n1,3,x,true,2024/01/01\n"))).getMessage());
    }
}
