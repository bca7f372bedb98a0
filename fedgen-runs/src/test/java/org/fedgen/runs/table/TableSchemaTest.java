package org.fedgen.runs.table;

import static org.fedgen.runs.table.CsvTableTest.csv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableSchemaTest {
    private static IllegalArgumentException bad(String json) {
        return assertThrows(IllegalArgumentException.class, () -> TableSchema.parse(json, "s.json"));
    }

    @Test
    void readsEveryKindOfDeclaration() {
        TableSchema s = TableSchema.parse("{\"missing\": [\"NA\"], \"columns\": {"
                + "\"c\": {\"type\": \"categorical\", \"categories\": [\"a\", \"b\"]},"
                + "\"n\": {\"type\": \"numeric\", \"min\": 0, \"max\": 2.5, \"decimals\": 1},"
                + "\"d\": {\"type\": \"date\", \"format\": \"dd.MM.yyyy\", \"min\": \"01.01.1970\", \"max\": "
                + "\"11.01.1970\"}}}", "s.json");
        assertEquals(List.of("NA"), s.missingTokens());
        assertEquals(List.of("a", "b"), s.column("c").categories());
        assertEquals(2.5, s.column("n").max());
        assertEquals(10.0, s.column("d").max());
        assertNull(s.incompleteColumn(List.of("c", "n", "d")));
        assertEquals("column 'x' is not declared", s.incompleteColumn(List.of("c", "x")));
    }

    @Test
    void badDeclarationsNameFileColumnAndSetting() {
        assertEquals(true, bad("{\"columns\": {\"n\": {\"type\": \"numeric\", \"maximum\": 3}}}").getMessage()
                .startsWith("s.json: column 'n': unknown setting 'maximum'; valid: "));
        assertEquals(true, bad("{\"columns\": {\"n\": {\"type\": \"real\"}}}").getMessage()
                .startsWith("s.json: unknown column type 'real'"));
        assertEquals("s.json: column 'n' (numeric): min 3.0 and max 1.0 must be finite with min <= max",
                bad("{\"columns\": {\"n\": {\"type\": \"numeric\", \"min\": 3, \"max\": 1}}}").getMessage());
        assertEquals("s.json: column 'c' (categorical): missing 'mean' applies only to numeric, integer and date "
                + "columns", bad("{\"columns\": {\"c\": {\"type\": \"categorical\", \"missing\": \"mean\"}}}")
                        .getMessage());
        assertEquals("s.json: column 'd' min must be a date like 2024-01-31, got \"31/01/2024\"",
                bad("{\"columns\": {\"d\": {\"type\": \"date\", \"min\": \"31/01/2024\"}}}").getMessage());
        assertEquals(true, bad("{\"columns\": [1]}").getMessage().startsWith("s.json: 'columns' must be an object"));
        assertEquals(true, bad("{\"colums\": {}}").getMessage().startsWith("s.json: unknown field 'colums'"));
    }

    @Test
    void aDeclaredColumnTheTableLacksIsNamed() {
        TableSchema s = TableSchema.parse("{\"columns\": {\"z\": {\"type\": \"numeric\"}}}", "s.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.checkAgainst(csv("a,b\n1,2\n")));
        assertEquals("the schema declares column 'z', which t.csv does not have; its columns: [a, b]",
                e.getMessage());
    }
}
