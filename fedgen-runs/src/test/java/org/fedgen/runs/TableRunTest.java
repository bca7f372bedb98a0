package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.fedgen.runs.table.CsvTable;
import org.fedgen.runs.table.TableSchema;
import org.fedgen.runs.table.TableSource;
import org.fedgen.runs.table.TableStatistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny federated runs on a mixed-type CSV the project has never seen, through the library's run path. */
class TableRunTest {
    @TempDir
    Path dir;
    private Path csv;

    @BeforeEach
    void writeTable() throws Exception {
        StringBuilder sb = new StringBuilder("site,age,score,smoker,visit,grade\n");
        Random r = new Random(7);
        String[] sites = {"north", "south", "east"};
        for (int i = 0; i < 90; i++) {
            sb.append(sites[i % 3]).append(',').append(20 + r.nextInt(50)).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", r.nextGaussian() * 3 + 10)).append(',')
                    .append(r.nextBoolean()).append(',').append(java.time.LocalDate.of(2020, 1, 1)
                            .plusDays(r.nextInt(400))).append(',').append("ABC".charAt(r.nextInt(3))).append('\n');
        }
        csv = dir.resolve("patients.csv");
        Files.writeString(csv, sb.toString());
    }

    private RunConfig.Builder tiny(ModelSettings model, String out) {
        return RunConfig.builder().model(model).table(new TableSource(csv, null, "site")).rounds(2).localSteps(2)
                .batchSize(16).workers(1).evalEvery(1).samples(50).out(dir.resolve(out));
    }

    /** Samples must parse under the types and vocabulary the real rows declare (else TableStatistics refuses them). */
    private static void assertSameColumnsAndTypes(CsvTable real, CsvTable samples) {
        assertEquals(real.header(), samples.header());
        TableSchema fitted = TableStatistics.of(real, TableSchema.empty()).fit(TableSchema.empty());
        TableSchema declaredTypes = TableSchema.parse(declarationOf(fitted), "types");
        TableStatistics.of(samples, declaredTypes);
        assertEquals("categorical", fitted.column("grade").type().toString());
        assertEquals("date", fitted.column("visit").type().toString());
        assertEquals("boolean", fitted.column("smoker").type().toString());
        assertEquals("integer", fitted.column("age").type().toString());
        assertEquals("numeric", fitted.column("score").type().toString());
    }

    /** The types and categories of a fitted schema as a schema file (ranges left open). */
    private static String declarationOf(TableSchema fitted) {
        StringBuilder sb = new StringBuilder("{\"columns\": {");
        fitted.columns().values().forEach(c -> {
            sb.append('"').append(c.name()).append("\": {\"type\": \"").append(c.type()).append('"');
            if (c.categories() != null) {
                sb.append(", \"categories\": [");
                sb.append(String.join(", ", c.categories().stream().map(s -> "\"" + s + "\"").toList()));
                sb.append(']');
            }
            sb.append("},");
        });
        sb.setLength(sb.length() - 1);
        return sb.append("}}").toString();
    }

    @Test
    void vaePartitionedByAColumnWritesTypedSamplesAndAnEvalReport() throws Exception {
        Path out = new FederatedRun(tiny(VaeSettings.defaults(), "vae").build()).run();
        CsvTable samples = CsvTable.read(out.resolve("samples.csv"));
        assertEquals(50, samples.size());
        assertSameColumnsAndTypes(CsvTable.read(csv), samples);
        JsonNode eval = new ObjectMapper().readTree(out.resolve("eval.json").toFile());
        for (String c : List.of("age", "score", "visit")) {
            double ks = eval.path("columns").path(c).path("ks").asDouble(-1);
            assertTrue(ks >= 0 && ks <= 1, c + " ks " + ks);
        }
        double tv = eval.path("columns").path("grade").path("tv").asDouble(-1);
        assertTrue(tv >= 0 && tv <= 1, "grade tv " + tv);
        assertTrue(eval.path("closest_record").has("synthetic_median"));
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        // the column's three values are the clients; the table is part of the recorded configuration
        assertEquals(3, config.path("clients").asInt());
        assertEquals(csv.toString(), config.path("table").path("data").asText());
        assertEquals("site", config.path("table").path("partitionBy").asText());
        assertTrue(Files.exists(out.resolve("metrics.csv")));
        assertEquals(false, Files.exists(out.resolve("samples-idx3-ubyte")));
    }

    @Test
    void aTableCheckpointSamplesRowsAgainWithoutTheRunsOtherFiles() throws Exception {
        Path out = new FederatedRun(tiny(VaeSettings.defaults(), "again").build()).run();
        TrainedModel m = TrainedModel.load(out.resolve("checkpoint.fgs"));
        assertEquals(true, m.tabular());
        CsvTable rows = m.sampleRows(30, 3);
        assertEquals(30, rows.size());
        assertSameColumnsAndTypes(CsvTable.read(csv), rows);
    }

    @Test
    void sameSeedSameSamplesWhateverTheWorkerCount() throws Exception {
        Path one = new FederatedRun(tiny(VaeSettings.defaults(), "w1").build()).run();
        Path two = new FederatedRun(tiny(VaeSettings.defaults(), "w2").workers(2).build()).run();
        assertEquals(Files.readString(one.resolve("samples.csv")), Files.readString(two.resolve("samples.csv")));
    }

    @Test
    void ddpmMlpOnIidSplitWritesTypedSamples() throws Exception {
        DdpmSettings ddpm = DdpmSettings.builder().mlpWidth(16).mlpDepth(1).timesteps(21).ddimSteps(3).build();
        Path out = new FederatedRun(tiny(ddpm, "ddpm").table(new TableSource(csv, null, null))
                .partition(PartitionKind.iid).clients(2).build()).run();
        CsvTable samples = CsvTable.read(out.resolve("samples.csv"));
        assertEquals(50, samples.size());
        assertSameColumnsAndTypes(CsvTable.read(csv), samples);
    }

    @Test
    void theTableSourceSurvivesTheConfigurationsJsonForm() {
        RunConfig o = tiny(VaeSettings.defaults(), "json").table(new TableSource(csv, dir.resolve("s.json"), "site"))
                .build();
        assertEquals(o, RunConfigJson.read(RunConfigJson.write(o), "config.json"));
        RunConfig digits = RunConfig.builder().build();
        assertEquals(null, RunConfigJson.read(RunConfigJson.write(digits), "config.json").table());
    }

    @Test
    void configurationsATableCannotTakeAreRefused() {
        TableSource t = new TableSource(csv, null, null);
        assertEquals("--partition dirichlet splits by digit labels, which a table does not have: give --partition iid"
                + " or --partition-by COLUMN", assertThrows(IllegalArgumentException.class,
                        () -> RunConfig.builder().table(t).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().table(t)
                .partition(PartitionKind.iid).model(GanSettings.builder().build()).build()).getMessage()
                .contains("the GAN family is not wired for tables"));
    }

    @Test
    void aDpRunWithoutACompleteSchemaIsRefusedNamingWhatItLacks() throws Exception {
        RunConfig o = tiny(VaeSettings.defaults(), "dp").dp(DpConfig.builder(1.0, 1.0).build()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FederatedRun(o).run());
        assertTrue(e.getMessage().startsWith("a DP run takes its table transform from the schema alone"),
                e.getMessage());
        assertTrue(e.getMessage().contains("column 'site' is not declared"), e.getMessage());
    }
}
