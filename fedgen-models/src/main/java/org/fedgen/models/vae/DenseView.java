package org.fedgen.models.vae;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected layer y = x W + b whose W [in, out] (row-major) and b [out] are views into a flat parameter
 * vector, so writing the flat vector changes the layer and vice versa. For conditional layers the weight rows are split
 * into the rows fed by the data input and the rows fed by the one-hot label.
 */
final class DenseView {
    final INDArray weights;
    final INDArray bias;
    /** The first {@code dataInputs} rows of {@link #weights}. */
    final INDArray dataWeights;
    /** The remaining rows (label inputs), or null without labels. */
    final INDArray labelWeights;
    final long fanIn;
    final long fanOut;
    /** Offset of this layer in the flat vector, then the number of elements it spans. */
    final long offset;
    final long size;

    private DenseView(INDArray flat, long offset, long dataInputs, long labelInputs, long out) {
        this.fanIn = dataInputs + labelInputs;
        this.fanOut = out;
        this.offset = offset;
        long w = fanIn * out;
        this.size = w + out;
        this.weights = flat.get(NDArrayIndex.interval(offset, offset + w)).reshape('c', fanIn, out);
        this.bias = flat.get(NDArrayIndex.interval(offset + w, offset + w + out));
        if (labelInputs > 0) {
            this.dataWeights = weights.get(NDArrayIndex.interval(0, dataInputs), NDArrayIndex.all());
            this.labelWeights = weights.get(NDArrayIndex.interval(dataInputs, fanIn), NDArrayIndex.all());
        } else {
            this.dataWeights = weights;
            this.labelWeights = null;
        }
    }

    /** Lays out a layer at {@code offset} of {@code flat}: W row-major, then b. */
    static DenseView at(INDArray flat, long offset, long dataInputs, long labelInputs, long out) {
        return new DenseView(flat, offset, dataInputs, labelInputs, out);
    }

    /** Offset just after this layer. */
    long end() {
        return offset + size;
    }
}
