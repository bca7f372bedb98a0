package org.fedgen.models.ddpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationTest {

    private static double silu(double z) {
        return z / (1 + Math.exp(-z));
    }

    /** SiLU's derivative σ(z)(1 + z(1 − σ(z))) in double, including large |z| where ND4J's own op gives NaN. */
    @Test
    void siluDerivativeIsFiniteAndExactOverTheWholeRange() {
        float[] zs = {-100f, -30f, -3f, -0.5f, 0f, 0.7f, 4f, 30f, 44f, 45f, 60f, 100f, 1e6f};
        INDArray z = Nd4j.createFromArray(zs);
        INDArray out = z.dup();
        Activation.SILU.derivative(z, out);
        for (int i = 0; i < zs.length; i++) {
            double s = 1 / (1 + Math.exp(-zs[i]));
            double expected = s * (1 + zs[i] * (1 - s));
            assertEquals(expected, out.getDouble(i), 1e-6, "z = " + zs[i]);
        }
        assertEquals(zs[10], z.getFloat(10), "the pre-activations must be left alone");
        // in place, as the denoiser's backward pass calls it
        Activation.SILU.derivative(z, z);
        assertEquals(1.0, z.getDouble(11), 1e-6);
        // and the forward value agrees with its derivative by central differences
        INDArray a = Nd4j.createFromArray(new double[] {0.3 - 1e-6, 0.3 + 1e-6});
        INDArray fa = a.dup();
        Activation.SILU.forward(a, fa);
        assertEquals((silu(0.3 + 1e-6) - silu(0.3 - 1e-6)) / 2e-6, (fa.getDouble(1) - fa.getDouble(0)) / 2e-6, 1e-6);
    }
}
