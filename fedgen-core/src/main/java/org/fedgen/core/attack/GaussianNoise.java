package org.fedgen.core.attack;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Model poisoning by noise: every coordinate of the honest payload gets independent N(0, σ²) noise (for a weights
 * payload this is the same as noising the delta). The noise is drawn from the round's client seed, so a run is
 * reproducible.
 */
public final class GaussianNoise implements UpdateAttack {
    private final double std;

    /** @param std σ ≥ 0, finite */
    public GaussianNoise(double std) {
        if (!(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("attack noise std must be finite and >= 0, got " + std);
        }
        this.std = std;
    }

    /** The noise added to a part of the given length for this client, round and part. */
    static INDArray noise(long seed, String part, long length, double std) {
        INDArray z = Nd4j.create(DataType.FLOAT, length);
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(Seeds.derive(seed, "attack-noise:" + part))) {
            Nd4j.randn(z, rng);
        } catch (Exception e) {
            throw new IllegalStateException("closing the attack's random generator failed", e);
        }
        return z.muli(std);
    }

    @Override
    public ClientUpdate poison(ClientUpdate honest, ModelState global, FitInstructions instructions) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : honest.parts().entrySet()) {
            out.put(e.getKey(), e.getValue().add(noise(instructions.seed(), e.getKey(), e.getValue().length(), std)));
        }
        return honest.withParts(honest.kind(), out);
    }

    @Override
    public String toString() {
        return "GaussianNoise(std=" + std + ")";
    }
}
