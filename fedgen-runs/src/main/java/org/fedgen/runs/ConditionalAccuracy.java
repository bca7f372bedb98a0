package org.fedgen.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.metrics.DigitsClassifier;
import org.fedgen.models.metrics.LabelHistogram;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether a conditional model (GAN or DDPM) produces the digit it is asked for: {@code n} samples with requested labels cycling
 * 0…9 are classified by the shipped {@link DigitsClassifier}. Reports {@code cond_accuracy} (fraction of samples
 * whose predicted label is the requested one) and {@code cond_min_class_accuracy} (the worst digit's fraction).
 * Unconditional label coverage ({@code min_class_fraction}, {@code class_fraction_c}) comes from the run's
 * {@link org.fedgen.models.metrics.SampleQuality}.
 */
final class ConditionalAccuracy {
    private final Supplier<DigitsClassifier> classifier;
    private DigitsClassifier loaded;

    /** Loads the classifier lazily on first use. */
    ConditionalAccuracy(Supplier<DigitsClassifier> classifier) {
        this.classifier = classifier;
    }

    /**
     * The metrics above from {@code n ≥ 10} samples drawn with {@code seed}.
     *
     * @param sampler draws one sample per requested label with the given seed, in [0, 1]
     * @param classes the model's number of labels
     */
    Map<String, Double> measure(BiFunction<int[], Long, INDArray> sampler, int classes, int n, long seed) {
        if (n < 10) {
            throw new IllegalArgumentException("conditional accuracy needs >= 10 samples, got " + n);
        }
        int[] requested = new int[n];
        for (int i = 0; i < n; i++) {
            requested[i] = i % classes;
        }
        INDArray x = sampler.apply(requested, Seeds.derive(seed, "conditional-accuracy"));
        if (loaded == null) {
            loaded = classifier.get();
        }
        return agreement(requested, loaded.predict(x), classes);
    }

    /** Agreement of predicted with requested labels: overall and for the worst class. */
    static Map<String, Double> agreement(int[] requested, int[] predicted, int classes) {
        if (requested.length != predicted.length) {
            throw new IllegalArgumentException("requested and predicted labels differ in count: " + requested.length
                    + " vs " + predicted.length);
        }
        int[] hits = new int[classes];
        int[] asked = LabelHistogram.of(requested, classes).counts();
        int total = 0;
        for (int i = 0; i < requested.length; i++) {
            if (requested[i] == predicted[i]) {
                hits[requested[i]]++;
                total++;
            }
        }
        double worst = 1;
        for (int c = 0; c < classes; c++) {
            if (asked[c] > 0) {
                worst = Math.min(worst, hits[c] / (double) asked[c]);
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("cond_accuracy", total / (double) requested.length);
        m.put("cond_min_class_accuracy", worst);
        return m;
    }
}
