package org.fedgen.models.metrics;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The digits classifier's network: conv 5×5×8 (same) – max-pool 2 – conv 5×5×16 (same) – max-pool 2 – dense 64 ReLU
 * (the feature layer) – softmax 10. Input [n, 784] pixels in [0, 1], read as 1×28×28 images.
 */
final class DigitsClassifierArchitecture {
    static final int IMAGE_SIDE = 28;
    static final int INPUT_SIZE = IMAGE_SIDE * IMAGE_SIDE;
    static final int NUM_CLASSES = 10;
    static final int FEATURE_SIZE = 64;
    /** Index of the feature layer; {@code feedForwardToLayer} lists the input first, so its output is at +1. */
    static final int FEATURE_LAYER = 4;

    private DigitsClassifierArchitecture() {
    }

    /** The configuration, training with Adam at the given learning rate and L2 penalty on weights. */
    static MultiLayerConfiguration configuration(double learningRate, double l2) {
        return new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .updater(new Adam(learningRate))
                .l2(l2)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(FEATURE_SIZE).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(NUM_CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(IMAGE_SIDE, IMAGE_SIDE, 1))
                .build();
    }

    /** Number of parameters of the network. */
    static long numParams(MultiLayerConfiguration conf) {
        long total = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            NeuralNetConfiguration c = conf.getConf(i);
            total += c.getLayer().initializer().numParams(c);
        }
        return total;
    }

    /**
     * A network over the given flat [1, numParams] float32 parameter vector, which it uses as its parameter storage
     * (not copied). Passing parameters keeps DL4J from drawing initial weights from ND4J's global RNG.
     */
    static MultiLayerNetwork network(MultiLayerConfiguration conf, INDArray params) {
        long expected = numParams(conf);
        if (params.length() != expected) {
            throw new IllegalArgumentException("the digits classifier has " + expected + " parameters, got "
                    + params.length());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(params.reshape(1, expected), false);
        return net;
    }
}
