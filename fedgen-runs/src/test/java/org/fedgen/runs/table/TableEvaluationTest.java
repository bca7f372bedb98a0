package org.fedgen.runs.table;

import static org.fedgen.runs.table.CsvTableTest.csv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TableEvaluationTest {
    @Test
    @SuppressWarnings("unchecked")
    void reportsColumnFidelityOfHandMadeTables() {
        CsvTable real = csv("x,c\n1,a\n2,b\n3,a\n");
        CsvTable synth = csv("x,c\n2,a\n3,b\n4,b\n");
        Map<String, Object> r = TableEvaluation.evaluate(real, synth, null, null, TableSchema.empty());
        Map<String, Object> cols = (Map<String, Object>) r.get("columns");
        assertEquals(1.0 / 3, (double) ((Map<String, Object>) cols.get("x")).get("ks"), 1e-15);
        // real (a 2/3, b 1/3), synthetic (a 1/3, b 2/3): 1/3
        assertEquals(1.0 / 3, (double) ((Map<String, Object>) cols.get("c")).get("tv"), 1e-15);
        assertEquals(1.0 / 3, (double) r.get("mean_ks"), 1e-15);
    }

    @Test
    @SuppressWarnings("unchecked")
    void closestRecordCountsCopiesOfTrainingRows() {
        CsvTable train = csv("x,c\n0,a\n10,b\n");
        CsvTable real = csv("x,c\n5,a\n10,b\n");
        CsvTable synth = csv("x,c\n0,a\n0,a\n10,b\n5,b\n");
        Map<String, Object> r = TableEvaluation.evaluate(real, synth, train, null, TableSchema.empty());
        Map<String, Object> dcr = (Map<String, Object>) r.get("closest_record");
        // features: x / 10 and one-hot c; the synthetic 5,b is 0.5 from 10,b; the others are copies
        assertEquals(0.75, dcr.get("synthetic_exact_copies"));
        assertEquals(0.0, dcr.get("synthetic_median"));
        assertEquals(0.5, dcr.get("holdout_exact_copies"));
        assertEquals(0.25, (double) dcr.get("holdout_median"), 1e-7);
    }

    @Test
    @SuppressWarnings("unchecked")
    void mlEfficacyOfAPerfectCopyEqualsTheRealBaseline() {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 10).append(',').append(i % 10 < 5 ? "lo" : "hi").append('\n');
        }
        CsvTable t = csv(sb.toString());
        Map<String, Object> r = TableEvaluation.evaluate(t, t, t, "y", TableSchema.empty());
        Map<String, Object> m = (Map<String, Object>) r.get("ml_efficacy");
        assertEquals(m.get("real_to_real_accuracy"), m.get("synthetic_to_real_accuracy"));
        assertEquals(1.0, m.get("real_to_real_accuracy"));
        assertEquals(0.5, m.get("majority_class_accuracy"));
    }

    @Test
    void badTargetsAndSyntheticValuesAreNamed() {
        CsvTable real = csv("x,y\n1,a\n2,b\n");
        assertEquals("--target 'x' is integer; machine-learning efficacy classifies a categorical or boolean column",
                assertThrows(IllegalArgumentException.class,
                        () -> TableEvaluation.evaluate(real, real, null, "x", TableSchema.empty())).getMessage());
        assertEquals("t.csv line 3, column 'y': unknown target class 'z'; known: [a, b]",
                assertThrows(IllegalArgumentException.class, () -> TableEvaluation.evaluate(real,
                        csv("x,y\n1,a\n2,z\n"), null, "y", TableSchema.empty())).getMessage());
        assertEquals("t.csv line 2, column 'x': 'one' is not an integer",
                assertThrows(IllegalArgumentException.class, () -> TableEvaluation.evaluate(real,
                        csv("x,y\none,a\n"), null, null, TableSchema.empty())).getMessage());
        assertEquals("t.csv has no column 'y' of t.csv; its columns: [x]",
                assertThrows(IllegalArgumentException.class, () -> TableEvaluation.evaluate(real,
                        csv("x\n1\n"), null, null, TableSchema.empty())).getMessage());
    }
}
