package org.fedgen.models.ddpm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
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

        /**
         * ND4J M2.1's SwishDerivative forms e^z (e^z + 1 + z)/(e^z + 1)² and returns NaN from z ≈ 45 on in float32
         * (the square overflows); the derivative is 1 there to float precision, so z is clamped at
         * {@value #SWISH_CLAMP} first, where the op is still finite and already 1.
         */
        @Override
        void derivative(INDArray z, INDArray out) {
            Nd4j.exec(new ScalarMin(z, null, out, SWISH_CLAMP));
            Nd4j.exec(new SwishDerivative(out, out));
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

    /** Above this pre-activation SiLU's derivative is 1 in float32 (1 + z e^−z differs from 1 by &lt; 1e−15). */
    static final double SWISH_CLAMP = 40.0;

    /** out = f(z), elementwise. */
    abstract void forward(INDArray z, INDArray out);

    /** out = f'(z), elementwise. */
    abstract void derivative(INDArray z, INDArray out);
}
