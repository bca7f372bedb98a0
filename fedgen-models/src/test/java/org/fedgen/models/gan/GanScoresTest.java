package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.junit.jupiter.api.Test;

class GanScoresTest {
    /** For WGAN-GP {@code d_real} of evaluate is the mean critic value of the data, so it is the scores' mean. */
    @Test
    void meanDiscriminatorScoreIsTheEvaluatedRealScore() {
        Gan gan = new Gan(GanConfig.builder().loss(GanLoss.WGAN_GP).build());
        gan.initialize(3);
        Dataset d = Digits.bundled().range(0, 300);
        double mean = Arrays.stream(gan.discriminatorScores(d)).average().orElseThrow();
        assertEquals(gan.evaluate(d, 1).get("d_real"), mean, 1e-6);
    }
}
