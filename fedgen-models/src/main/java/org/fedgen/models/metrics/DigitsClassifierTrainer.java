package org.fedgen.models.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the {@link DigitsClassifier}: He-normal initial weights and zero biases drawn from the seed, Adam with L2
 * {@value #L2}, mini-batches of {@value #BATCH_SIZE} in a seeded permutation per epoch. Learning rate
 * {@value #LEARNING_RATE}, divided by 3 for the second-to-last fifth of the epochs and by 10 for the last fifth.
 * Each training image is shifted by a seeded random offset of up to {@value #MAX_SHIFT} pixels in x and y (zero fill),
 * the regulariser the classifier needs to generalise from 7 000 digits (its held-out accuracy: {@code docs/results.md}).
 * No dropout, so nothing draws from ND4J's global RNG.
 */
public final class DigitsClassifierTrainer {
    /** Default number of passes over the training data. */
    public static final int DEFAULT_EPOCHS = 10;
    static final int MAX_SHIFT = 2;
    static final int BATCH_SIZE = 64;
    static final double LEARNING_RATE = 1e-3;
    static final double L2 = 1e-4;
    private static final Logger LOG = LoggerFactory.getLogger(DigitsClassifierTrainer.class);

    private DigitsClassifierTrainer() {
    }

    /** Trains for {@link #DEFAULT_EPOCHS} epochs on labelled digits [n, 784]. */
    public static DigitsClassifier train(Dataset data, long seed) {
        return train(data, seed, DEFAULT_EPOCHS, null);
    }

    /**
     * Trains on labelled digits [n, 784] with labels 0..9.
     *
     * @param monitor optional labelled data whose accuracy is logged after each epoch; it never influences training
     * @throws IllegalArgumentException if the data are not labelled 784-pixel digits or epochs &lt; 1
     */
    public static DigitsClassifier train(Dataset data, long seed, int epochs, Dataset monitor) {
        Objects.requireNonNull(data, "data");
        if (!data.hasLabels() || data.numFeatures() != DigitsClassifierArchitecture.INPUT_SIZE || data.size() == 0) {
            throw new IllegalArgumentException("need non-empty labelled digits with "
                    + DigitsClassifierArchitecture.INPUT_SIZE + " pixels, got " + data);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        int[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= DigitsClassifierArchitecture.NUM_CLASSES) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is not a digit 0..9");
            }
        }
        MultiLayerConfiguration conf = DigitsClassifierArchitecture.configuration(LEARNING_RATE, L2);
        INDArray params = Nd4j.zeros(DataType.FLOAT, 1, DigitsClassifierArchitecture.numParams(conf));
        MultiLayerNetwork net = DigitsClassifierArchitecture.network(conf, params);
        initialise(net, Seeds.derive(seed, "digits-classifier-init"));
        DigitsClassifier classifier = new DigitsClassifier(net);

        INDArray features = data.features();
        int n = data.size();
        for (int epoch = 0; epoch < epochs; epoch++) {
            long start = System.nanoTime();
            int[] order = permutation(n, new SplittableRandom(Seeds.derive(seed, "digits-classifier-shuffle", epoch)));
            SplittableRandom shifts = new SplittableRandom(Seeds.derive(seed, "digits-classifier-shift", epoch));
            net.setLearningRate(learningRate(epoch, epochs));
            double lossSum = 0.0;
            int batches = 0;
            for (int from = 0; from < n; from += BATCH_SIZE) {
                int to = Math.min(n, from + BATCH_SIZE);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                INDArray batch = shifted(features.getRows(idx), shifts);
                net.fit(new org.nd4j.linalg.dataset.DataSet(batch, oneHot(labels, idx)));
                lossSum += net.score();
                batches++;
            }
            String monitored = monitor == null ? "" : String.format(", monitor accuracy %.4f",
                    classifier.accuracy(monitor));
            LOG.info("digits classifier epoch {}/{}: mean batch loss {} in {} s{}", epoch + 1, epochs,
                    String.format("%.4f", lossSum / batches),
                    String.format("%.1f", (System.nanoTime() - start) / 1e9), monitored);
        }
        return classifier;
    }

    static double learningRate(int epoch, int epochs) {
        int fifth = Math.max(1, epochs / 5);
        if (epochs >= 3 && epoch >= epochs - fifth) {
            return LEARNING_RATE / 10;
        }
        if (epochs >= 3 && epoch >= epochs - 2 * fifth) {
            return LEARNING_RATE / 3;
        }
        return LEARNING_RATE;
    }

    /** Each 28×28 row image translated by (dx, dy) ∈ [−MAX_SHIFT, MAX_SHIFT]², pixels shifted in filled with 0. */
    static INDArray shifted(INDArray batch, SplittableRandom rng) {
        int side = DigitsClassifierArchitecture.IMAGE_SIDE;
        int rows = (int) batch.rows();
        float[] in = batch.dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            int dx = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            int dy = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            int base = r * side * side;
            for (int y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
                int src = base + (y - dy) * side;
                int dst = base + y * side;
                for (int x = Math.max(0, dx); x < Math.min(side, side + dx); x++) {
                    out[dst + x] = in[src + x - dx];
                }
            }
        }
        return Nd4j.create(out, new long[] {rows, (long) side * side}, 'c');
    }

    /** He-normal weights (std sqrt(2 / fan-in)) and zero biases. */
    private static void initialise(MultiLayerNetwork net, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Map.Entry<String, INDArray> e : new java.util.TreeMap<>(net.paramTable()).entrySet()) {
            INDArray view = e.getValue();
            if (!e.getKey().endsWith("_W")) {
                view.assign(0);
                continue;
            }
            long[] shape = view.shape();
            long fanIn = shape.length == 4 ? shape[1] * shape[2] * shape[3] : shape[0];
            double std = Math.sqrt(2.0 / fanIn);
            float[] w = new float[(int) view.length()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (std * rng.nextGaussian());
            }
            view.assign(Nd4j.create(w, shape, 'c'));
        }
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static INDArray oneHot(int[] labels, int[] idx) {
        float[] y = new float[idx.length * DigitsClassifierArchitecture.NUM_CLASSES];
        for (int r = 0; r < idx.length; r++) {
            y[r * DigitsClassifierArchitecture.NUM_CLASSES + labels[idx[r]]] = 1f;
        }
        return Nd4j.create(y, new long[] {idx.length, DigitsClassifierArchitecture.NUM_CLASSES}, 'c');
    }
}
