package org.fedgen.models.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Issue-3 acceptance checks on the committed classifier and the held-out digits. */
class ClassifierMetricsTest {
    private static DigitsClassifier classifier;
    private static Dataset heldOut;
    private static Dataset firstHalf;
    private static Dataset secondHalf;
    private static INDArray firstFeatures;
    private static INDArray secondFeatures;
    private static GaussianFit firstHalfFit;

    @BeforeAll
    static void load() {
        classifier = DigitsClassifier.load();
        heldOut = DigitsSplit.heldOut();
        firstHalf = heldOut.range(0, 500);
        secondHalf = heldOut.range(500, 1000);
        firstFeatures = classifier.features(firstHalf.features());
        secondFeatures = classifier.features(secondHalf.features());
        firstHalfFit = GaussianFit.of(firstFeatures);
    }

    private static double fidToFirstHalf(INDArray images) {
        return Fid.distance(GaussianFit.of(classifier.features(images)), firstHalfFit);
    }

    private static int[] predictedHeldOut() {
        return IntStream.concat(Arrays.stream(classifier.predictFromFeatures(firstFeatures)),
                Arrays.stream(classifier.predictFromFeatures(secondFeatures))).toArray();
    }

    @Test
    void splitIsFirst7000AndLast1000() {
        assertEquals(7000, DigitsSplit.train().size());
        assertEquals(1000, heldOut.size());
        Dataset all = org.fedgen.core.data.Digits.bundled();
        assertEquals(all.features().getRow(7000), heldOut.features().getRow(0));
        assertEquals(all.features().getRow(6999), DigitsSplit.train().features().getRow(6999));
        assertEquals(all.label(7999), heldOut.label(999));
    }

    @Test
    void committedClassifierReachesHeldOutAccuracy() {
        int[] predicted = predictedHeldOut();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == heldOut.label(i) ? 1 : 0;
        }
        assertTrue(correct >= 970, "held-out accuracy " + correct / 1000.0);
        INDArray three = heldOut.features().getRows(0, 1, 2);
        assertEquals(64, classifier.features(three).columns());
        assertArrayEquals(classifier.predict(three), Arrays.copyOf(predicted, 3));
    }

    /**
     * Two disjoint real halves: their FID is sampling noise only. The bound 0.1 × FID(radius-1 blur) says "an order of
     * magnitude below the mildest degradation".
     */
    @Test
    void fidIsSmallForRealDataAndGrowsWithBlurAndNoise() {
        double realVsReal = Fid.distance(GaussianFit.of(secondFeatures), firstHalfFit);
        double[] blurred = new double[3];
        for (int r = 1; r <= 3; r++) {
            blurred[r - 1] = fidToFirstHalf(boxBlur(secondHalf.features(), r));
        }
        SplittableRandom rng = new SplittableRandom(17);
        float[] noise = new float[500 * 784];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextDouble();
        }
        double noiseFid = fidToFirstHalf(Nd4j.create(noise, new long[] {500, 784}, 'c'));
        String report = "real " + realVsReal + ", blur " + Arrays.toString(blurred) + ", noise " + noiseFid;
        assertTrue(realVsReal >= 0 && realVsReal < 0.1 * blurred[0], report);
        assertTrue(blurred[0] < blurred[1] && blurred[1] < blurred[2], report);
        assertTrue(noiseFid > 50 * realVsReal && noiseFid > blurred[0], report);
        assertEquals(0.0, Fid.between(firstFeatures, firstFeatures.dup()), 1e-6);
    }

    /**
     * A "generator" that outputs only real digits of one class (the second half's digits of class c, ~50 images), for
     * every c. Its samples lie on the real manifold, so precision is high; its k-NN balls cover about the class's
     * ~10 % of the real digits plus what a few large balls of its sparse points reach, so recall is low. A real
     * sample of the same size and all classes covers the real digits (high recall), which shows that the low recall
     * comes from the missing classes, not from the small sample.
     */
    @Test
    void oneClassGeneratorHasHighPrecisionAndLowRecall() {
        double precisionSum = 0;
        double recallSum = 0;
        StringBuilder report = new StringBuilder();
        for (int c = 0; c < 10; c++) {
            int cls = c;
            int[] ofClass = IntStream.range(0, 500).filter(i -> secondHalf.label(i) == cls).toArray();
            PrecisionRecall.Result one = PrecisionRecall.compute(firstFeatures, secondFeatures.getRows(ofClass));
            PrecisionRecall.Result mixed = PrecisionRecall.compute(firstFeatures,
                    secondFeatures.getRows(IntStream.range(0, ofClass.length).toArray()));
            report.append(c).append(": ").append(one).append(" vs mixed ").append(mixed).append('\n');
            assertTrue(one.precision() >= 0.7 && one.recall() <= 0.4, report.toString());
            assertTrue(mixed.recall() >= 0.9, report.toString());
            precisionSum += one.precision();
            recallSum += one.recall();
        }
        assertTrue(precisionSum / 10 >= 0.85 && recallSum / 10 <= 0.25, report.toString());
        PrecisionRecall.Result real = PrecisionRecall.compute(firstFeatures, secondFeatures);
        assertTrue(real.precision() >= 0.85 && real.recall() >= 0.85, "real vs real " + real);
    }

    /**
     * The held-out label distribution is near uniform, and a 97 %-accurate classifier moves at most 3 % of the mass, so
     * the predicted-label entropy is within 0.02 nats of ln 10 (a histogram with every class in [0.08, 0.12] already
     * has entropy above ln 10 − 0.02).
     */
    @Test
    void predictedLabelsOfRealDigitsAreNearlyUniform() {
        LabelHistogram h = LabelHistogram.of(predictedHeldOut(), 10);
        assertEquals(Math.log(10), h.entropy(), 0.02);
        assertTrue(h.minClassFraction() > 0.07, "min class fraction " + h.minClassFraction());
    }

    @Test
    void sampleQualityReportsAllKeysAndSeparatesRealFromNoise() {
        SampleQuality quality = SampleQuality.against(firstHalf, classifier);
        Map<String, Double> real = quality.evaluate(secondHalf.features());
        System.out.println("SampleQuality real vs real: " + real);
        assertEquals(19, real.size());
        // dust is listed last, so the columns before it keep their positions in metrics.csv
        assertEquals(List.of("num_samples", "dust", "dust_ratio"), new ArrayList<>(real.keySet()).subList(16, 19));
        BackgroundDust dust = BackgroundDust.of(firstHalf.features());
        assertEquals(dust.dust(secondHalf.features()), real.get("dust"), 0.0);
        assertEquals(dust.ratio(secondHalf.features()), real.get("dust_ratio"), 0.0);
        for (String key : new String[] {"fid", "mmd", "precision", "recall", "coverage_entropy",
            "min_class_fraction", "class_fraction_0", "class_fraction_9", "num_samples"}) {
            assertTrue(real.containsKey(key), key);
        }
        assertEquals(500.0, real.get("num_samples"), 0.0);
        double sum = IntStream.range(0, 10).mapToDouble(c -> real.get("class_fraction_" + c)).sum();
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Fid.distance(GaussianFit.of(secondFeatures), firstHalfFit), real.get("fid"), 1e-9);
        assertEquals(PrecisionRecall.compute(firstFeatures, secondFeatures).recall(), real.get("recall"), 0.0);

        INDArray flat = Nd4j.valueArrayOf(new long[] {300, 784}, 0.5f, DataType.FLOAT);
        Map<String, Double> bad = SampleQuality.evaluate(flat, firstHalf, classifier);
        System.out.println("SampleQuality constant grey: " + bad);
        assertEquals(0.0, bad.get("coverage_entropy"), 0.0);
        assertEquals(0.0, bad.get("min_class_fraction"), 0.0);
        assertTrue(bad.get("mmd") > 10 * Math.abs(real.get("mmd")), bad + " vs " + real);
        assertTrue(bad.get("fid") > 50 * real.get("fid"));
        assertEquals(1.0, bad.get("dust"), 0.0); // every background pixel lit
        INDArray black = Nd4j.zeros(DataType.FLOAT, 300, 784);
        assertEquals(0.0, SampleQuality.evaluate(black, firstHalf, classifier).get("dust"), 0.0);
    }

    static INDArray boxBlur(INDArray images, int radius) {
        int n = (int) images.rows();
        float[] in = images.dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int s = 0; s < n; s++) {
            int base = s * 784;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double sum = 0;
                    int count = 0;
                    for (int yy = Math.max(0, y - radius); yy <= Math.min(27, y + radius); yy++) {
                        for (int xx = Math.max(0, x - radius); xx <= Math.min(27, x + radius); xx++) {
                            sum += in[base + yy * 28 + xx];
                            count++;
                        }
                    }
                    out[base + y * 28 + x] = (float) (sum / count);
                }
            }
        }
        return Nd4j.create(out, new long[] {n, 784}, 'c');
    }
}
