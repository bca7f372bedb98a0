package org.fedgen.models.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.metrics.KernelMmd;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * All sample-quality numbers of generated digits against real held-out digits, with the real side's classifier
 * features and Gaussian fit computed once per instance.
 *
 * <p>Keys of {@link #evaluate(INDArray)}:
 * <ul>
 * <li>{@code fid}: {@link Fid} on classifier features, all M generated vs all real samples. FID depends on the sample
 * counts, so compare it only at a fixed M (the convention is M = 1 000 against the 1 000 digits of
 * {@link DigitsSplit#heldOut()}).</li>
 * <li>{@code mmd}: pixel-space MMD²_u ({@link KernelMmd#medianHeuristic()}) between the first
 * {@value #MMD_SUBSET} generated and the first {@value #MMD_SUBSET} real samples (fewer if a side is smaller).</li>
 * <li>{@code precision}, {@code recall}: {@link PrecisionRecall} with k = 3 on classifier features.</li>
 * <li>{@code coverage_entropy}: entropy (nats, max ln 10 ≈ 2.3026) of the predicted-label histogram of the generated
 * samples; {@code min_class_fraction}: its smallest class fraction; {@code class_fraction_0} … {@code class_fraction_9}:
 * each class fraction.</li>
 * <li>{@code num_samples}: M.</li>
 * <li>{@code dust}: {@link BackgroundDust#dust} of the generated samples, the fraction of lit pixels (&gt; 0.1) where
 * at least 99 % of the real digits are dark (&le; 0.1); {@code dust_ratio}: that over the real digits' own dust (1 = as clean as
 * real digits). Listed last so that earlier columns of metrics.csv keep their positions.</li>
 * </ul>
 * Generated samples must be [M, 784] on the digits' pixel scale [0, 1] (map e.g. tanh outputs first). Instances are
 * thread-safe as far as the classifier is (its methods are synchronized).
 */
public final class SampleQuality {
    /** Number of samples per side in the pixel MMD. */
    public static final int MMD_SUBSET = 200;
    private static final int NUM_CLASSES = 10;

    private final DigitsClassifier classifier;
    private final INDArray realFeatures;
    private final GaussianFit realFit;
    private final INDArray realMmdSubset;
    private final KernelMmd mmd = KernelMmd.medianHeuristic();
    private final BackgroundDust dust;

    private SampleQuality(DigitsClassifier classifier, INDArray realFeatures, INDArray realMmdSubset,
            BackgroundDust dust) {
        this.classifier = classifier;
        this.dust = dust;
        this.realFeatures = realFeatures;
        this.realFit = GaussianFit.of(realFeatures);
        this.realMmdSubset = realMmdSubset;
    }

    /**
     * An evaluator against the given real digits [N, 784], N &gt; 3.
     *
     * @throws IllegalArgumentException if the real data are not 784-pixel digits with more than 3 examples
     */
    public static SampleQuality against(Dataset realHeldOut, DigitsClassifier classifier) {
        Objects.requireNonNull(realHeldOut, "realHeldOut");
        Objects.requireNonNull(classifier, "classifier");
        if (realHeldOut.numFeatures() != 784 || realHeldOut.size() <= PrecisionRecall.DEFAULT_K) {
            throw new IllegalArgumentException("real digits must be [N > " + PrecisionRecall.DEFAULT_K
                    + ", 784], got " + realHeldOut);
        }
        INDArray real = realHeldOut.features();
        return new SampleQuality(classifier, classifier.features(real), firstRows(real, MMD_SUBSET),
                BackgroundDust.of(real));
    }

    /** Shorthand for {@code against(realHeldOut, classifier).evaluate(generated)}. */
    public static Map<String, Double> evaluate(INDArray generated, Dataset realHeldOut, DigitsClassifier classifier) {
        return against(realHeldOut, classifier).evaluate(generated);
    }

    /**
     * The metrics listed in the class comment for generated samples [M, 784], M &gt; 3.
     *
     * @throws IllegalArgumentException if generated is not [M &gt; 3, 784]
     */
    public Map<String, Double> evaluate(INDArray generated) {
        Objects.requireNonNull(generated, "generated");
        if (generated.rank() != 2 || generated.columns() != 784 || generated.rows() <= PrecisionRecall.DEFAULT_K) {
            throw new IllegalArgumentException("generated samples must be [M > " + PrecisionRecall.DEFAULT_K
                    + ", 784], got shape " + Arrays.toString(generated.shape()));
        }
        INDArray genFeatures = classifier.features(generated);
        PrecisionRecall.Result pr = PrecisionRecall.compute(realFeatures, genFeatures);
        LabelHistogram hist = LabelHistogram.of(classifier.predictFromFeatures(genFeatures), NUM_CLASSES);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("fid", Fid.distance(GaussianFit.of(genFeatures), realFit));
        out.put("mmd", mmd.mmd2(firstRows(generated, MMD_SUBSET), realMmdSubset));
        out.put("precision", pr.precision());
        out.put("recall", pr.recall());
        out.put("coverage_entropy", hist.entropy());
        out.put("min_class_fraction", hist.minClassFraction());
        double[] fractions = hist.fractions();
        for (int c = 0; c < NUM_CLASSES; c++) {
            out.put("class_fraction_" + c, fractions[c]);
        }
        out.put("num_samples", (double) generated.rows());
        out.put("dust", dust.dust(generated));
        out.put("dust_ratio", dust.ratio(generated));
        return Collections.unmodifiableMap(out);
    }

    private static INDArray firstRows(INDArray x, int count) {
        long n = Math.min(count, x.rows());
        return x.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }
}
