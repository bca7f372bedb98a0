package org.fedgen.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Examples as an [n, d] float32 feature matrix with optional integer labels and the shape of one item (e.g.
 * {@code [1, 28, 28]} for a digit image, {@code [d]} for a table row).
 */
public final class Dataset {
    private final INDArray features;
    private final int[] labels;
    private final int[] itemShape;

    /**
     * @param features  [n, d] float32
     * @param labels    n labels, or null for unlabelled data
     * @param itemShape shape of one example whose product is d
     */
    public Dataset(INDArray features, int[] labels, int[] itemShape) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be [n, d], got shape "
                    + Arrays.toString(features.shape()));
        }
        if (features.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("features must be FLOAT, got " + features.dataType());
        }
        long n = features.rows();
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries but features has " + n
                    + " rows");
        }
        long prod = 1;
        for (int s : itemShape) {
            prod *= s;
        }
        if (prod != features.columns()) {
            throw new IllegalArgumentException("itemShape " + Arrays.toString(itemShape) + " has " + prod
                    + " elements but features have " + features.columns() + " columns");
        }
        this.features = features;
        this.labels = labels == null ? null : labels.clone();
        this.itemShape = itemShape.clone();
    }

    /** Unlabelled flat data with item shape [d]. */
    public static Dataset unlabelled(INDArray features) {
        return new Dataset(features, null, new int[] {(int) features.columns()});
    }

    /** The [n, d] feature matrix (shared, treat as read-only). */
    public INDArray features() {
        return features;
    }

    /** Whether the examples carry labels. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** A copy of the labels. */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("dataset has no labels");
        }
        return labels.clone();
    }

    /** The label of example i. */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("dataset has no labels");
        }
        return labels[i];
    }

    /** Number of examples n. */
    public int size() {
        return (int) features.rows();
    }

    /** Number of features d of one example. */
    public int numFeatures() {
        return (int) features.columns();
    }

    /** A copy of the shape of one example. */
    public int[] itemShape() {
        return itemShape.clone();
    }

    /**
     * The examples of several datasets in order, copied into one (e.g. the union of clients' shards for a centralized
     * baseline). All parts must have the same item shape, and all or none must have labels.
     *
     * @throws IllegalArgumentException for an empty list, a part whose item shape differs, or mixed labelling
     */
    public static Dataset concat(List<Dataset> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat of no datasets");
        }
        Dataset first = parts.get(0);
        List<INDArray> rows = new ArrayList<>();
        int n = 0;
        for (Dataset d : parts) {
            if (!Arrays.equals(d.itemShape, first.itemShape) || d.hasLabels() != first.hasLabels()) {
                throw new IllegalArgumentException("cannot concat " + d + " with " + first
                        + ": item shapes and labelling must agree");
            }
            if (d.size() > 0) {
                rows.add(d.features);
            }
            n += d.size();
        }
        int[] labels = null;
        if (first.hasLabels()) {
            labels = new int[n];
            int i = 0;
            for (Dataset d : parts) {
                System.arraycopy(d.labels, 0, labels, i, d.size());
                i += d.size();
            }
        }
        INDArray f = rows.isEmpty() ? Nd4j.create(DataType.FLOAT, 0, first.numFeatures())
                : Nd4j.vstack(rows.toArray(new INDArray[0]));
        return new Dataset(f, labels, first.itemShape);
    }

    /** The examples at the given indices, copied, in that order. */
    public Dataset subset(int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("index " + i + " outside dataset of size " + size());
            }
        }
        INDArray f = indices.length == 0 ? Nd4j.create(DataType.FLOAT, 0, numFeatures())
                : features.getRows(indices);
        int[] l = null;
        if (labels != null) {
            l = new int[indices.length];
            for (int j = 0; j < indices.length; j++) {
                l[j] = labels[indices[j]];
            }
        }
        return new Dataset(f, l, itemShape);
    }

    /** Examples [from, to), copied. */
    public Dataset range(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside dataset of size " + size());
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return subset(idx);
    }

    @Override
    public String toString() {
        return "Dataset{n=" + size() + ", item=" + Arrays.toString(itemShape) + ", labels=" + hasLabels() + '}';
    }
}
