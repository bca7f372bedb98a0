package org.fedgen.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class DigitsClassifierTrainerTest {
    @Test
    void sameSeedGivesIdenticalWeightsAndWeightsRoundTrip() throws IOException {
        Dataset tiny = DigitsSplit.train().range(0, 128);
        DigitsClassifier a = DigitsClassifierTrainer.train(tiny, 42, 1, null);
        DigitsClassifier b = DigitsClassifierTrainer.train(tiny, 42, 1, null);
        INDArray pa = a.network().params();
        assertEquals(pa, b.network().params());
        assertNotEquals(pa, DigitsClassifierTrainer.train(tiny.range(0, 64), 43, 1, null).network().params());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.write(bytes);
        assertEquals(12 + 4 * a.numParams(), bytes.size());
        DigitsClassifier back = DigitsClassifier.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(pa, back.network().params());
        INDArray x = tiny.features().getRows(0, 1, 2, 3);
        assertEquals(a.features(x), back.features(x));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> DigitsClassifierTrainer.train(Dataset.unlabelled(DigitsSplit.train().range(0, 4).features()),
                        1, 1, null));
        assertThrows(IllegalArgumentException.class,
                () -> DigitsClassifierTrainer.train(DigitsSplit.train().range(0, 4), 1, 0, null));
        assertThrows(IOException.class, () -> DigitsClassifier.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})));
    }
}
