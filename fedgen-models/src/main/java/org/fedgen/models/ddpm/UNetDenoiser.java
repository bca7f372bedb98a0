package org.fedgen.models.ddpm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A small convolutional U-Net ε-predictor for single-channel images, built with SameDiff; slower than
 * {@link MlpDenoiser} on CPU but convolutional.
 *
 * <p>Layout (NCHW, 3x3 same-padding convolutions, SiLU): the conditioning vector c (see {@link Conditioning}) goes
 * through a dense layer + SiLU to e; every block is conv → + dense(e) broadcast over the pixels → SiLU. With two
 * channel counts:
 * <pre>
 *   x [1,H,W] → block(c1) → block(c1) = skip → avg-pool 2 → block(c2) → block(c2) → upsample 2 (nearest)
 *             → concat(skip) → block(c1) → conv(1) → ε_θ
 * </pre>
 * With three, the half-resolution pair gets a U-Net of its own: block(c2) → block(c2) = skip2 → avg-pool 2 →
 * block(c3) → block(c3) → upsample 2 → concat(skip2) → block(c2), then upsample as above. Its receptive field (about
 * 40 pixels against about 18) spans a whole 28x28 digit. The two-level parameters keep their names and order.
 * The SameDiff variables are copied from the flat {@link #params()} vector before each pass and their gradients into
 * the flat {@link #gradient()}, so the optimizer and federation see one {@code denoiser} vector.
 *
 * <p>On an AVX-512 machine ND4J's oneDNN build runs the convolutions far faster (timings in {@code docs/results.md}):
 * depend on {@code fedgen-native-onednn}, or build this project with
 * {@code -Dnd4j.classifier=linux-x86_64-onednn-avx512}.
 */
public final class UNetDenoiser implements Denoiser {
    private static final String INPUT = "x";
    private static final String COND = "cond";
    private static final String TARGET = "eps";
    private static final String OUTPUT = "out";
    private static final String LOSS = "loss";

    private final int height;
    private final int width;
    private final int c1;
    private final int c2;
    /** Channels at quarter resolution; 0 for the two-level layout. */
    private final int c3;
    private final Conditioning conditioning;
    private final SameDiff sd;
    private final List<String> names = new ArrayList<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, Double> initStd = new LinkedHashMap<>();
    private final Map<String, INDArray> paramViews = new LinkedHashMap<>();
    private final Map<String, INDArray> gradViews = new LinkedHashMap<>();
    private final INDArray params;
    private final INDArray grad;

    /**
     * @param height     image height, even
     * @param width      image width, even
     * @param c1         channels at full resolution (e.g. 32)
     * @param c2         channels at half resolution (e.g. 64)
     * @param timeDim    size of the sinusoidal time embedding (even)
     * @param numClasses labels for a conditional model, 0 for unconditional
     */
    public UNetDenoiser(int height, int width, int c1, int c2, int timeDim, int numClasses) {
        this(height, width, new int[] {c1, c2}, timeDim, numClasses);
    }

    /**
     * @param height     image height, even (a multiple of 4 with three channel counts)
     * @param width      image width, even (a multiple of 4 with three channel counts)
     * @param channels   channels at full, half and (optionally) quarter resolution: two or three counts
     * @param timeDim    size of the sinusoidal time embedding (even)
     * @param numClasses labels for a conditional model, 0 for unconditional
     */
    public UNetDenoiser(int height, int width, int[] channels, int timeDim, int numClasses) {
        if (channels.length != 2 && channels.length != 3) {
            throw new IllegalArgumentException("a U-Net needs two or three channel counts, got "
                    + Arrays.toString(channels));
        }
        int f = channels.length == 3 ? 4 : 2;
        if (height < f || width < f || height % f != 0 || width % f != 0) {
            throw new IllegalArgumentException("image height and width must be multiples of " + f + " for "
                    + channels.length + " U-Net levels, got " + height + "x" + width);
        }
        for (int c : channels) {
            if (c < 1) {
                throw new IllegalArgumentException("channel counts must be >= 1, got " + Arrays.toString(channels));
            }
        }
        this.height = height;
        this.width = width;
        this.c1 = channels[0];
        this.c2 = channels[1];
        this.c3 = channels.length == 3 ? channels[2] : 0;
        this.conditioning = new Conditioning(timeDim, numClasses);
        this.sd = SameDiff.create();
        sd.setLogExecution(false);
        // With the output cache on, ND4J's oneDNN build kept serving predictions of earlier parameters after
        // params() changed in place (see UNetDenoiserTest.predictionsFollowParameterChanges).
        sd.setEnableCache(false);
        build();
        QuietSameDiff.createGradFunction(sd, LOSS);
        long total = 0;
        for (String n : names) {
            total += prod(shapes.get(n));
        }
        params = Nd4j.create(DataType.FLOAT, total);
        grad = Nd4j.create(DataType.FLOAT, total);
        long off = 0;
        for (String n : names) {
            long len = prod(shapes.get(n));
            paramViews.put(n, params.get(NDArrayIndex.interval(off, off + len)).reshape('c', shapes.get(n)));
            gradViews.put(n, grad.get(NDArrayIndex.interval(off, off + len)).reshape('c', shapes.get(n)));
            off += len;
        }
    }

    /** The default for 28x28 digits: 16 and 32 channels (practical on a CPU), 64-wide time embedding. */
    public static UNetDenoiser forDigits(int numClasses) {
        return new UNetDenoiser(28, 28, 16, 32, 64, numClasses);
    }

    private void build() {
        int e = Math.max(c2, conditioning.dim());
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, (long) height * width);
        SDVariable cond = sd.placeHolder(COND, DataType.FLOAT, -1, conditioning.dim());
        SDVariable eps = sd.placeHolder(TARGET, DataType.FLOAT, -1, (long) height * width);
        SDVariable emb = sd.nn.swish(sd.nn.linear(cond, param("temb_w", 1.0 / Math.sqrt(conditioning.dim()),
                conditioning.dim(), e), param("temb_b", 0, e)));
        SDVariable img = sd.reshape(x, -1, 1, height, width);
        SDVariable h = block("d1", img, 1, c1, emb, e);
        SDVariable skip = block("d2", h, c1, c1, emb, e);
        SDVariable down = pool(skip);
        SDVariable m = block("m1", down, c1, c2, emb, e);
        m = block("m2", m, c2, c2, emb, e);
        if (c3 > 0) {
            SDVariable b = block("b1", pool(m), c2, c3, emb, e);
            b = block("b2", b, c3, c3, emb, e);
            m = block("v1", sd.concat(1, sd.cnn.upsampling2d(b, 2, 2, true), m), c3 + c2, c2, emb, e);
        }
        SDVariable up = sd.cnn.upsampling2d(m, 2, 2, true);
        SDVariable u = block("u1", sd.concat(1, up, skip), c2 + c1, c1, emb, e);
        SDVariable out = sd.cnn.conv2d(u, param("out_w", 1.0 / Math.sqrt(9.0 * c1), 3, 3, c1, 1),
                param("out_b", 0, 1), conv3x3());
        SDVariable flat = sd.reshape(OUTPUT, out, -1, (long) height * width);
        sd.math.square(flat.sub(eps)).mean(LOSS);
    }

    private SDVariable pool(SDVariable in) {
        return sd.cnn.avgPooling2d(in, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .type(Pooling2D.Pooling2DType.AVG).isNHWC(false).build());
    }

    private SDVariable block(String name, SDVariable in, int cin, int cout, SDVariable emb, int e) {
        SDVariable h = sd.cnn.conv2d(in, param(name + "_w", 1.0 / Math.sqrt(9.0 * cin), 3, 3, cin, cout),
                param(name + "_b", 0, cout), conv3x3());
        SDVariable t = sd.nn.linear(emb, param(name + "_tw", 1.0 / Math.sqrt(e), e, cout), param(name + "_tb", 0,
                cout));
        return sd.nn.swish(h.add(sd.reshape(t, -1, cout, 1, 1)));
    }

    private SDVariable param(String name, double std, long... shape) {
        names.add(name);
        shapes.put(name, shape);
        initStd.put(name, std);
        return sd.var(name, Nd4j.create(DataType.FLOAT, shape));
    }

    private static Conv2DConfig conv3x3() {
        return Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).paddingMode(PaddingMode.SAME)
                .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
    }

    private static long prod(long[] shape) {
        long p = 1;
        for (long s : shape) {
            p *= s;
        }
        return p;
    }

    @Override
    public int dataDim() {
        return height * width;
    }

    @Override
    public int numClasses() {
        return conditioning.numClasses();
    }

    @Override
    public INDArray params() {
        return params;
    }

    @Override
    public INDArray gradient() {
        return grad;
    }

    /** Normal weights with std 1/√fan-in, zero biases. */
    @Override
    public void initialize(long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        for (String n : names) {
            double std = initStd.get(n);
            if (std == 0) {
                paramViews.get(n).assign(0);
            } else {
                Nd4j.getExecutioner().exec(new GaussianDistribution(paramViews.get(n), 0.0, std), rng);
            }
        }
    }

    @Override
    public INDArray predict(INDArray xt, int[] t, int[] labels) {
        Map<String, INDArray> ph = placeholders(xt, t, labels, null);
        return sd.output(ph, OUTPUT).get(OUTPUT);
    }

    @Override
    public double lossAndGradient(INDArray xt, int[] t, int[] labels, INDArray eps) {
        Map<String, INDArray> ph = placeholders(xt, t, labels, eps);
        OutAndGrad og = sd.calculateGradientsAndOutputs(ph, List.of(LOSS), names);
        for (String n : names) {
            gradViews.get(n).assign(og.getGradients().get(n));
        }
        return og.getOutputs().get(LOSS).getDouble(0);
    }

    @Override
    public double loss(INDArray xt, int[] t, int[] labels, INDArray eps) {
        return sd.output(placeholders(xt, t, labels, eps), LOSS).get(LOSS).getDouble(0);
    }

    private Map<String, INDArray> placeholders(INDArray xt, int[] t, int[] labels, INDArray eps) {
        if (xt.rank() != 2 || xt.columns() != dataDim() || xt.rows() != t.length) {
            throw new IllegalArgumentException("expected xt [" + t.length + ", " + dataDim() + "], got "
                    + Arrays.toString(xt.shape()));
        }
        for (String n : names) {
            sd.getVariable(n).getArr().assign(paramViews.get(n));
        }
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(INPUT, xt);
        ph.put(COND, conditioning.build(t, labels));
        if (eps != null) {
            ph.put(TARGET, eps);
        }
        return ph;
    }

    @Override
    public String toString() {
        return "UNetDenoiser{" + height + "x" + width + ", channels " + c1 + "/" + c2 + (c3 > 0 ? "/" + c3 : "")
                + ", cond="
                + conditioning.dim() + ", params=" + params.length() + '}';
    }
}
