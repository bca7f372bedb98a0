package org.fedgen.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A real, tiny model for engine tests: least squares y ≈ x·w + b with labels as targets, loss ½·mean((x·w + b − y)²),
 * plain SGD. Parts "w" (d) and "b" (1). Its gradient has a closed form, so engine results can be checked exactly.
 */
final class LinearModel implements TrainableModel {
    private final int dim;
    private final INDArray w;
    private final INDArray b;

    LinearModel(int dim) {
        this.dim = dim;
        this.w = Nd4j.zeros(DataType.FLOAT, dim);
        this.b = Nd4j.zeros(DataType.FLOAT, 1);
    }

    @Override
    public int numFeatures() {
        return dim;
    }

    @Override
    public ModelState initialize(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < dim; i++) {
            w.putScalar(i, (float) (r.nextDouble() - 0.5));
        }
        b.putScalar(0, 0f);
        return state();
    }

    @Override
    public ModelState state() {
        return ModelState.builder(0).part("w", w.dup()).part("b", b.dup()).build();
    }

    @Override
    public void load(ModelState state) {
        for (Map.Entry<String, INDArray> e : state.parts().entrySet()) {
            INDArray target = switch (e.getKey()) {
                case "w" -> w;
                case "b" -> b;
                default -> throw new IllegalArgumentException("unknown part " + e.getKey());
            };
            if (target.length() != e.getValue().length()) {
                throw new IllegalArgumentException("part " + e.getKey() + " length " + e.getValue().length());
            }
            target.assign(e.getValue());
        }
    }

    /** Closed-form gradient of ½·mean((Xw + b − y)²) over the rows. */
    static Map<String, INDArray> gradientAt(INDArray w, INDArray b, INDArray x, INDArray y) {
        INDArray r = x.mmul(w.reshape(w.length(), 1)).addi(b.getDouble(0)).subi(y.reshape(y.length(), 1));
        INDArray gw = x.transpose().mmul(r).divi(x.rows()).reshape(w.length());
        INDArray gb = Nd4j.createFromArray((float) (r.sumNumber().doubleValue() / x.rows()));
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("w", gw);
        g.put("b", gb);
        return g;
    }

    static INDArray targets(Dataset d) {
        int[] l = d.labels();
        float[] y = new float[l.length];
        for (int i = 0; i < l.length; i++) {
            y[i] = l[i];
        }
        return Nd4j.createFromArray(y);
    }

    @Override
    public Map<String, Double> fit(Dataset data, FitInstructions ins, ModelState anchor) {
        INDArray y = targets(data);
        int n = data.size();
        int steps = ins.localSteps() > 0 ? ins.localSteps() : ins.localEpochs() * ((n + ins.batchSize() - 1)
                / ins.batchSize());
        SplittableRandom r = new SplittableRandom(ins.seed());
        double lossSum = 0;
        for (int s = 0; s < steps; s++) {
            int bs = Math.min(ins.batchSize(), n);
            int[] idx = new int[bs];
            for (int i = 0; i < bs; i++) {
                idx[i] = r.nextInt(n);
            }
            INDArray x = data.features().getRows(idx);
            INDArray yb = y.get(Nd4j.createFromArray(idx));
            Map<String, INDArray> g = gradientAt(w, b, x, yb);
            INDArray res = x.mmul(w.reshape(dim, 1)).addi(b.getDouble(0)).subi(yb.reshape(bs, 1));
            lossSum += 0.5 * res.norm2Number().doubleValue() * res.norm2Number().doubleValue() / bs;
            if (ins.trains("w")) {
                if (ins.proximalMu() > 0) {
                    g.get("w").addi(w.sub(anchor.part("w")).muli(ins.proximalMu()));
                }
                w.subi(g.get("w").muli(ins.learningRate()));
            }
            if (ins.trains("b")) {
                if (ins.proximalMu() > 0) {
                    g.get("b").addi(b.sub(anchor.part("b")).muli(ins.proximalMu()));
                }
                b.subi(g.get("b").muli(ins.learningRate()));
            }
        }
        return Map.of("loss", lossSum / Math.max(1, steps), "steps", (double) steps);
    }

    @Override
    public Map<String, INDArray> gradient(Dataset data, FitInstructions ins) {
        return gradientAt(w, b, data.features(), targets(data));
    }

    @Override
    public Map<String, Double> evaluate(Dataset data, long seed) {
        INDArray r = data.features().mmul(w.reshape(dim, 1)).addi(b.getDouble(0))
                .subi(targets(data).reshape(data.size(), 1));
        double mse = Math.pow(r.norm2Number().doubleValue(), 2) / data.size();
        return Map.of("mse", mse, "numExamples", (double) data.size());
    }
}
