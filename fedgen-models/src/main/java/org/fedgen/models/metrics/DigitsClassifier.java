package org.fedgen.models.metrics;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A small CNN that classifies 28×28 digits, trained by {@link DigitsClassifierTrainer} and shipped as a resource; its
 * penultimate activations ({@value DigitsClassifierArchitecture#FEATURE_SIZE}-d, ReLU) are the feature space of
 * {@link Fid} and {@link PrecisionRecall}.
 *
 * <p>Weights file format: the 4 ASCII bytes {@code FGDC}, int format version (1), int parameter count p, then p
 * float32 values in DL4J's flattened parameter order; all big-endian.
 *
 * <p>Methods are synchronized: a DL4J network is not safe for concurrent inference. Note that DL4J reseeds ND4J's
 * global RNG when it builds the network; fedgen never draws from that RNG.
 */
public final class DigitsClassifier {
    /** Classpath location of the committed weights. */
    public static final String RESOURCE = "/org/fedgen/models/metrics/digits-classifier.bin";
    private static final int MAGIC = 0x46474443; // "FGDC"
    private static final int FORMAT_VERSION = 1;
    private static final int CHUNK = 500;

    private final MultiLayerNetwork net;

    DigitsClassifier(MultiLayerNetwork net) {
        this.net = net;
    }

    /** The classifier whose weights are committed with fedgen-models. */
    public static DigitsClassifier load() {
        try (InputStream in = DigitsClassifier.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing from the fedgen-models jar");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A classifier from a weights file written by {@link #save(Path)}. */
    public static DigitsClassifier load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** A classifier from a weights stream in the format described above (the stream is not closed). */
    public static DigitsClassifier read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a digits classifier weights file: magic 0x" + Integer.toHexString(magic));
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("unsupported digits classifier format version " + version);
        }
        var conf = DigitsClassifierArchitecture.configuration(1e-3, 0.0);
        long expected = DigitsClassifierArchitecture.numParams(conf);
        int count = in.readInt();
        if (count != expected) {
            throw new IOException("weights file holds " + count + " parameters, the network has " + expected);
        }
        float[] p = new float[count];
        try {
            for (int i = 0; i < count; i++) {
                p[i] = in.readFloat();
            }
        } catch (EOFException e) {
            throw new IOException("weights file truncated: expected " + count + " parameters", e);
        }
        return new DigitsClassifier(DigitsClassifierArchitecture.network(conf,
                Nd4j.create(p, new long[] {1, count}, DataType.FLOAT)));
    }

    /** Writes the weights (see the class comment for the format). */
    public synchronized void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os);
        }
    }

    /** Writes the weights to a stream (not closed). */
    public synchronized void write(OutputStream stream) throws IOException {
        float[] p = net.params().castTo(DataType.FLOAT).dup('c').data().asFloat();
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeInt(p.length);
        for (float v : p) {
            out.writeFloat(v);
        }
        out.flush();
    }

    /** Dimension of {@link #features(INDArray)}. */
    public int featureSize() {
        return DigitsClassifierArchitecture.FEATURE_SIZE;
    }

    /** Number of parameters. */
    public synchronized long numParams() {
        return net.numParams();
    }

    /** Class probabilities [n, 10] for images [n, 784] in [0, 1]. */
    public synchronized INDArray probabilities(INDArray images) {
        INDArray x = checkedImages(images);
        int n = (int) x.rows();
        INDArray out = Nd4j.create(DataType.FLOAT, n, DigitsClassifierArchitecture.NUM_CLASSES);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                    .assign(net.output(rows(x, from, to), false));
        }
        return out;
    }

    /** Predicted labels (arg-max class) of images [n, 784]. */
    public int[] predict(INDArray images) {
        INDArray argmax = probabilities(images).argMax(1);
        return argmax.toIntVector();
    }

    /**
     * Predicted labels from {@link #features(INDArray)} output, without a second pass through the convolutions: the
     * arg-max of the output layer's logits f·W + b (softmax is monotone).
     */
    public synchronized int[] predictFromFeatures(INDArray features) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2 || features.columns() != DigitsClassifierArchitecture.FEATURE_SIZE) {
            throw new IllegalArgumentException("features must be [n, " + DigitsClassifierArchitecture.FEATURE_SIZE
                    + "], got shape " + Arrays.toString(features.shape()));
        }
        var output = net.getLayer(DigitsClassifierArchitecture.FEATURE_LAYER + 1);
        INDArray w = output.getParam("W");
        INDArray b = output.getParam("b");
        INDArray logits = features.castTo(w.dataType()).mmul(w).addiRowVector(b);
        return logits.argMax(1).toIntVector();
    }

    /**
     * Penultimate-layer activations [n, {@value DigitsClassifierArchitecture#FEATURE_SIZE}] (float32) of images
     * [n, 784] in [0, 1], in inference mode.
     */
    public synchronized INDArray features(INDArray images) {
        INDArray x = checkedImages(images);
        int n = (int) x.rows();
        INDArray out = Nd4j.create(DataType.FLOAT, n, DigitsClassifierArchitecture.FEATURE_SIZE);
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            List<INDArray> acts = net.feedForwardToLayer(DigitsClassifierArchitecture.FEATURE_LAYER,
                    rows(x, from, to), false);
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())
                    .assign(acts.get(DigitsClassifierArchitecture.FEATURE_LAYER + 1));
        }
        return out;
    }

    /** Fraction of the labelled dataset's examples whose predicted label equals the true one. */
    public double accuracy(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (!data.hasLabels() || data.size() == 0) {
            throw new IllegalArgumentException("accuracy needs a non-empty labelled dataset, got " + data);
        }
        int[] pred = predict(data.features());
        int correct = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == data.label(i)) {
                correct++;
            }
        }
        return (double) correct / pred.length;
    }

    MultiLayerNetwork network() {
        return net;
    }

    private static INDArray rows(INDArray x, int from, int to) {
        return from == 0 && to == x.rows() ? x : x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }

    private static INDArray checkedImages(INDArray images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 2 || images.columns() != DigitsClassifierArchitecture.INPUT_SIZE || images.rows() == 0) {
            throw new IllegalArgumentException("images must be [n >= 1, " + DigitsClassifierArchitecture.INPUT_SIZE
                    + "], got shape " + Arrays.toString(images.shape()));
        }
        return images.dataType() == DataType.FLOAT ? images : images.castTo(DataType.FLOAT);
    }
}
