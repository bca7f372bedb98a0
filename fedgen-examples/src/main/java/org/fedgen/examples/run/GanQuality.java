package org.fedgen.examples.run;

import java.util.Map;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.gan.Gan;

/** Sample quality of a GAN (placeholder until the digits classifier is merged). */
final class GanQuality {
    private GanQuality() {
    }

    static Map<String, Double> evaluate(Gan model, Dataset heldOut, long seed) {
        return Map.of();
    }
}
