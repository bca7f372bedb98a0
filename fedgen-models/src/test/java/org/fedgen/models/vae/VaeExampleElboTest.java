package org.fedgen.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.junit.jupiter.api.Test;

class VaeExampleElboTest {
    /**
     * The per-example ELBOs of the membership attack use the same noise draws as {@link Vae#evaluate} with the same
     * seed, so their mean is evaluate's ELBO (300 digits, over two chunks of 256), to float32 summation tolerance.
     */
    @Test
    void meanOfExampleElbosIsTheEvaluatedElbo() {
        Vae vae = new Vae(VaeConfig.builder().hiddenDim(32).latentDim(4).build());
        vae.initialize(2);
        Dataset d = Digits.bundled().range(0, 300);
        double mean = Arrays.stream(vae.exampleElbo(d, 9)).average().orElseThrow();
        double elbo = vae.evaluate(d, 9).get("elbo");
        assertEquals(elbo, mean, 1e-4 * Math.abs(elbo));
    }
}
