package org.fedgen.models.ddpm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Nd4j;

/** Hidden-layer nonlinearity of the {@link MlpDenoiser}, each as one native op forward and one for the derivative. */
public enum Activation {
    /** SiLU / swish, z·σ(z): smooth, the usual choice in diffusion models. */
    SILU {
        @Override
        void forward(INDArray z, INDArray out) {
            Nd4j.exec(new Swish(z, out));
        }

        @Override
        void derivative(INDArray z, INDArray out) {
            Nd4j.exec(new SwishDerivative(z, out));
        }
    },
    /** max(z, 0). */
    RELU {
        @Override
        void forward(INDArray z, INDArray out) {
            Nd4j.exec(new RectifiedLinear(z, out));
        }

        @Override
        void derivative(INDArray z, INDArray out) {
            Nd4j.exec(new Step(z, out));
        }
    };

    /** out = f(z), elementwise. */
    abstract void forward(INDArray z, INDArray out);

    /** out = f'(z), elementwise. */
    abstract void derivative(INDArray z, INDArray out);
}
