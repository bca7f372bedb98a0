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
import picocli.CommandLine.Option;

/** {@code fedgen eval}: scores an IDX file of generated digits against the held-out real digits, printed as JSON. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Scores an IDX ubyte file of 28x28 samples (e.g. a run's samples-idx3-ubyte) against the 1 000",
            "held-out bundled digits: FID and precision/recall on the shipped classifier's features, pixel MMD²,",
            "label coverage. Prints one JSON object."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--samples", required = true, description = "IDX ubyte file of samples [n, 28, 28] (gz or plain).")
    Path samples;

    @Override
    public Integer call() throws Exception {
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
