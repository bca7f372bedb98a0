package org.fedgen.examples.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.models.metrics.DigitsClassifier;
import org.fedgen.models.metrics.DigitsSplit;
import org.fedgen.models.metrics.SampleQuality;
import picocli.CommandLine.Command;
import org.fedgen.runs.table.CsvTable;
import org.fedgen.runs.table.TableEvaluation;
import org.fedgen.runs.table.TableSchema;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fedgen eval}: scores an IDX file of generated digits against the held-out real digits, or (with
 * {@code --data}) a CSV of synthetic rows against real rows, printed as JSON.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Scores an IDX ubyte file of 28x28 samples (e.g. a run's samples-idx3-ubyte) against the 1 000",
            "held-out bundled digits: FID and precision/recall on the shipped classifier's features, pixel MMD²,",
            "label coverage. With --data real.csv, scores a CSV of synthetic rows instead: KS per numeric column,",
            "total-variation distance per categorical one, pairwise correlation difference, distance to the",
            "closest --train record, and with --target the accuracy on the real rows of a logistic regression",
            "trained on the synthetic rows vs on real ones. Prints one JSON object."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--samples", required = true, description = {"IDX ubyte file of samples [n, 28, 28] (gz or "
            + "plain), or with --data a CSV", "of synthetic rows with the real table's columns."})
    Path samples;

    @Option(names = "--data", paramLabel = "real.csv", description = "Real held-out rows to compare --samples "
            + "(a CSV) with.")
    Path data;

    @Option(names = "--train", paramLabel = "train.csv", description = {"The generator's training rows: the "
            + "closest-record check and the real", "baseline of --target (default: none; the baseline then trains on "
            + "the even rows of --data", "and both classifiers are tested on its odd rows)."})
    Path train;

    @Option(names = "--target", paramLabel = "COLUMN", description = "Categorical or boolean column for "
            + "machine-learning efficacy.")
    String target;

    @Option(names = "--schema", paramLabel = "FILE.json", description = "Column declarations (types, missing-value "
            + "policy); others are inferred from the real rows.")
    Path schema;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (data != null) {
            TableSchema declared = schema == null ? TableSchema.empty() : TableSchema.read(schema);
            System.out.println(TableEvaluation.toJson(TableEvaluation.evaluate(CsvTable.read(data),
                    CsvTable.read(samples), train == null ? null : CsvTable.read(train), target, declared)));
            return 0;
        }
        for (String o : new String[] {"--train", "--target", "--schema"}) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new IllegalArgumentException(o + " applies only with --data real.csv (scoring a table)");
            }
        }
        Dataset generated = Digits.fromFiles(samples, null);
        if (generated.numFeatures() != 28 * 28) {
            throw new IllegalArgumentException(samples + " holds " + java.util.Arrays.toString(generated.itemShape())
                    + " images; 28x28 expected");
        }
        Map<String, Double> m = SampleQuality.evaluate(generated.features(), DigitsSplit.heldOut(),
                DigitsClassifier.load());
        System.out.println(toJson(samples.toString(), generated.size(), m));
        return 0;
    }

    static String toJson(String file, int n, Map<String, Double> m) {
        StringBuilder sb = new StringBuilder("{\"samples\": \"").append(file.replace("\\", "\\\\")
                .replace("\"", "\\\"")).append("\", \"n\": ").append(n);
        m.forEach((k, v) -> sb.append(", \"").append(k).append("\": ")
                .append(Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.6g", v) : "null"));
        return sb.append('}').toString();
    }
}
