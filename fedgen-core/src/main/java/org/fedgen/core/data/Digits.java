package org.fedgen.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Digit images as a {@link Dataset}: the 8 000 MNIST digits bundled with fedgen-core (see the README next to the data
 * for provenance and license), or any IDX image/label pair. Pixels are scaled to [0, 1]; item shape is [1, h, w].
 */
public final class Digits {
    /** Number of bundled digits. */
    public static final int BUNDLED_SIZE = 8000;
    private static final String RESOURCE_DIR = "/org/fedgen/core/data/digits/";

    private Digits() {
    }

    /** The 8 000 bundled digits, in their stored (shuffled) order. */
    public static Dataset bundled() {
        try (InputStream img = open("digits8k-images-idx3-ubyte.gz");
                InputStream lab = open("digits8k-labels-idx1-ubyte.gz")) {
            return fromIdx(IdxFormat.read(img, "bundled digit images"), IdxFormat.read(lab, "bundled digit labels"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled digits", e);
        }
    }

    /** Digits from an IDX image file and an optional IDX label file (null for none). */
    public static Dataset fromFiles(Path images, Path labels) throws IOException {
        return fromIdx(IdxFormat.read(images), labels == null ? null : IdxFormat.read(labels));
    }

    /** Images from an IDX ubyte [n, h, w] array, with labels from an IDX ubyte [n] array or none. */
    public static Dataset fromIdx(IdxFormat.UbyteArray images, IdxFormat.UbyteArray labels) {
        if (images.dims().length != 3) {
            throw new IllegalArgumentException("image IDX must be [n, h, w], got rank " + images.dims().length);
        }
        int n = images.dims()[0];
        int h = images.dims()[1];
        int w = images.dims()[2];
        float[] px = new float[images.data().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (images.data()[i] & 0xff) / 255f;
        }
        INDArray features = Nd4j.create(px, new long[] {n, (long) h * w}, DataType.FLOAT);
        int[] lab = null;
        if (labels != null) {
            if (labels.dims().length != 1 || labels.dims()[0] != n) {
                throw new IllegalArgumentException("label IDX must be [" + n + "], got dims "
                        + java.util.Arrays.toString(labels.dims()));
            }
            lab = new int[n];
            for (int i = 0; i < n; i++) {
                lab[i] = labels.get(i);
            }
        }
        return new Dataset(features, lab, new int[] {1, h, w});
    }

    /**
     * Writes [n, h·w] samples in [0, 1] as an IDX ubyte image file [n, h, w] (values clamped, then round(v·255)).
     */
    public static void writeIdx(Path file, INDArray samples, int h, int w) throws IOException {
        if (samples.rank() != 2 || samples.columns() != (long) h * w) {
            throw new IllegalArgumentException("samples must be [n, " + (h * w) + "], got "
                    + java.util.Arrays.toString(samples.shape()));
        }
        float[] v = samples.castTo(DataType.FLOAT).dup('c').data().asFloat();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            float x = Float.isNaN(v[i]) ? 0f : Math.max(0f, Math.min(1f, v[i]));
            b[i] = (byte) Math.round(x * 255f);
        }
        IdxFormat.write(file, new int[] {(int) samples.rows(), h, w}, b);
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = Digits.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IOException("resource " + RESOURCE_DIR + name + " missing from the fedgen-core jar");
        }
        return in;
    }
}
