package org.fedgen.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedgen.models.metrics.DigitsClassifier;
import org.fedgen.models.metrics.DigitsClassifierTrainer;
import org.fedgen.models.metrics.DigitsSplit;

/**
 * Trains the sample-quality digits classifier on {@link DigitsSplit#train()} and writes its weights.
 *
 * <p>Usage: {@code TrainDigitsClassifier OUTPUT_FILE [SEED [EPOCHS]]} (defaults: seed 1, {@link DigitsClassifierTrainer#DEFAULT_EPOCHS} epochs). The held-out
 * accuracy is logged after each epoch for information only; it does not steer training.
 */
public final class TrainDigitsClassifier {
    private TrainDigitsClassifier() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: TrainDigitsClassifier OUTPUT_FILE [SEED [EPOCHS]]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1L;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : DigitsClassifierTrainer.DEFAULT_EPOCHS;
        long start = System.nanoTime();
        DigitsClassifier classifier = DigitsClassifierTrainer.train(DigitsSplit.train(), seed, epochs,
                DigitsSplit.heldOut());
        double seconds = (System.nanoTime() - start) / 1e9;
        classifier.save(out);
        DigitsClassifier reloaded = DigitsClassifier.load(out);
        System.out.printf("seed %d, %d epochs, %.1f s: train accuracy %.4f, held-out accuracy %.4f "
                        + "(reloaded %.4f), %d parameters, %d bytes written to %s%n",
                seed, epochs, seconds, classifier.accuracy(DigitsSplit.train()),
                classifier.accuracy(DigitsSplit.heldOut()), reloaded.accuracy(DigitsSplit.heldOut()),
                classifier.numParams(), Files.size(out), out);
    }
}
