package org.fedgen.runs.table;

import static org.fedgen.runs.table.CsvTableTest.csv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableStatisticsTest {
    private static final String MIXED = "n,i,c,b,d\n1.5,3,x,true,2024-01-02\n-2,7,y,FALSE,2024-01-01\n0.25,5,x,"
            + "false,2023-12-31\n";

    @Test
    void infersTypesRangesCategoriesAndDecimals() {
        TableSchema s = TableStatistics.of(csv(MIXED), TableSchema.empty()).fit(TableSchema.empty());
        assertEquals(List.of("n", "i", "c", "b", "d"), List.copyOf(s.columns().keySet()));
        ColumnSpec n = s.column("n");
        assertEquals(ColumnType.NUMERIC, n.type());
        assertEquals(-2.0, n.min());
        assertEquals(1.5, n.max());
        assertEquals(2, n.decimals());
        assertEquals((1.5 - 2 + 0.25) / 3, n.mean(), 0);
        assertEquals(ColumnType.INTEGER, s.column("i").type());
        assertEquals(3.0, s.column("i").min());
        assertEquals(7.0, s.column("i").max());
        assertEquals(ColumnType.CATEGORICAL, s.column("c").type());
        assertEquals(List.of("x", "y"), s.column("c").categories());
        assertEquals(ColumnType.BOOLEAN, s.column("b").type());
        assertEquals(ColumnType.DATE, s.column("d").type());
        // 2023-12-31 is day 19722 since 1970-01-01
        assertEquals(19722.0, s.column("d").min());
        assertEquals(19724.0, s.column("d").max());
    }

    @Test
    void mergedClientStatisticsFitWhatThePooledRowsWould() {
        CsvTable all = csv(MIXED);
        TableSchema pooled = TableStatistics.of(all, TableSchema.empty()).fit(TableSchema.empty());
        TableSchema merged = TableStatistics.merge(List.of(
                TableStatistics.of(all.subset(new int[] {2}), TableSchema.empty()),
                TableStatistics.of(all.subset(new int[] {0, 1}), TableSchema.empty()))).fit(TableSchema.empty());
        assertEquals(pooled, merged);
    }

    @Test
    void nonNumberInADeclaredNumericColumnNamesFileLineAndColumn() {
        TableSchema declared = TableSchema.parse("{\"columns\": {\"n\": {\"type\": \"numeric\"}}}", "s.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableStatistics.of(csv("n,c\n1,a\nabc,b\n"), declared));
        assertEquals("t.csv line 3, column 'n': 'abc' is not a number", e.getMessage());
        // "NaN" and "Infinity" parse as Java doubles but are not numbers of a table
        assertThrows(IllegalArgumentException.class, () -> TableStatistics.of(csv("n,c\nNaN,a\n"), declared));
    }

    @Test
    void unknownCategoryNamesFileLineAndColumn() {
        TableSchema declared = TableSchema.parse(
                "{\"columns\": {\"c\": {\"type\": \"categorical\", \"categories\": [\"a\", \"b\"]}}}", "s.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableStatistics.of(csv("n,c\n1,a\n2,z\n"), declared));
        assertEquals("t.csv line 3, column 'c': unknown category 'z'; the schema declares [a, b]", e.getMessage());
    }

    @Test
    void valueOutsideADeclaredRangeIsRefused() {
        TableSchema declared = TableSchema.parse(
                "{\"columns\": {\"n\": {\"type\": \"integer\", \"min\": 0, \"max\": 10}}}", "s.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableStatistics.of(csv("n\n1\n11\n"), declared));
        assertEquals("t.csv line 3, column 'n': 11 is outside the declared range", e.getMessage());
    }

    @Test
    void missingValuesAreRefusedUnlessThePolicySaysOtherwise() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableStatistics.of(csv("n,c\n1,a\n,b\n"), TableSchema.empty()));
        assertEquals(true, e.getMessage().startsWith("t.csv line 3, column 'n': missing value (\"\")"),
                e.getMessage());
        TableSchema declared = TableSchema.parse("{\"missing\": [\"\", \"NA\"], \"columns\": {"
                + "\"n\": {\"type\": \"numeric\", \"missing\": \"mean\"},"
                + "\"c\": {\"type\": \"categorical\", \"missing\": \"category\"}}}", "s.json");
        TableStatistics st = TableStatistics.of(csv("n,c\n1,a\nNA,b\n4,\n"), declared);
        assertEquals(1, st.missing("n"));
        assertEquals(2, st.present("n"));
        TableSchema fitted = st.fit(declared);
        assertEquals(2.5, fitted.column("n").mean());
        assertEquals(List.of("a", "b", ""), fitted.column("c").oneHot());
    }

    @Test
    void manyDistinctTextValuesAreRefusedNotOneHotEncoded() {
        StringBuilder sb = new StringBuilder("id\n");
        for (int i = 0; i <= ColumnStatistics.MAX_CATEGORIES; i++) {
            sb.append("k").append(i).append('\n');
        }
        CsvTable t = csv(sb.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableStatistics.of(t, TableSchema.empty()).fit(TableSchema.empty()));
        assertEquals(true, e.getMessage().startsWith("column 'id' reads as text with more than 100"), e.getMessage());
    }
}
