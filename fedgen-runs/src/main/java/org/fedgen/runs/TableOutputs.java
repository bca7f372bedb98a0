package org.fedgen.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.ModelState;
import org.fedgen.core.io.AtomicFiles;
import org.fedgen.core.util.Seeds;
import org.fedgen.runs.table.CsvTable;
import org.fedgen.runs.table.TableEvaluation;
import org.fedgen.runs.table.TableShards;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a table run: {@code samples.csv}, the final model's samples decoded into the table's header, types and
 * vocabulary, and {@code eval.json}, their {@link TableEvaluation} against the clients' evaluation rows (the
 * training rows for the closest-record check). A DP run publishes nothing computed from client rows without noise,
 * so its eval.json says the scores are skipped and why.
 */
final class TableOutputs {
    private static final Logger LOG = LoggerFactory.getLogger(TableOutputs.class);
    static final String SAMPLES = "samples.csv";
    static final String EVAL = "eval.json";

    private TableOutputs() {
    }

    static void write(Path out, RunConfig o, TableShards table, ModelRecipe recipe, ModelState last) {
        if (o.samples() == 0) {
            LOG.info("--samples 0: no samples.csv and no eval.json");
            return;
        }
        CsvTable samples = CsvTable.of(out.resolve(SAMPLES).toString(), table.encoder().header(),
                table.encoder().decode(recipe.sample(last, o.samples(), Seeds.derive(o.seed(), "samples"))));
        samples.write(out.resolve(SAMPLES));
        Map<String, Object> report;
        if (o.dp() != null) {
            report = new LinkedHashMap<>();
            report.put("skipped", "a DP run publishes nothing computed from client rows without noise; score "
                    + SAMPLES + " with 'fedgen eval --data real.csv --samples " + SAMPLES + "' where those rows may "
                    + "be seen");
        } else {
            CsvTable heldOut = table.pooledEval();
            // In a simulation the harness holds every client's rows; these scores are for the experimenter, a real
            // server would see none of them.
            report = TableEvaluation.evaluate(heldOut.size() > 0 ? heldOut : table.pooledTrain(), samples,
                    table.pooledTrain(), null, table.encoder().schema());
            report.put("note", "real = the clients' evaluation rows (the last tenth of each client's shuffled rows)"
                    + (heldOut.size() > 0 ? "" : ", none here: the training rows") + "; FID, precision/recall and "
                    + "label coverage use digit-classifier features and do not apply to tables");
        }
        try {
            AtomicFiles.writeString(out.resolve(EVAL), TableEvaluation.toJson(report) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(EVAL) + ": " + e.getMessage(), e);
        }
    }
}
