package org.fedgen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class UpdateValidatorTest {
    private static final ModelState GLOBAL = ModelState.of(1, Map.of("w", Nd4j.createFromArray(0f, 0f)));
    private static final FitInstructions PLAIN = FitInstructions.builder().round(1).build();
    private static final FitInstructions RING = PLAIN.toBuilder()
            .config(UpdateValidator.PAYLOAD_ENCODING, UpdateValidator.RING_BITS_ENCODING).build();

    private static ClientUpdate update(float... w) {
        return new ClientUpdate(3, 1, 10, PayloadKind.WEIGHTS, Map.of("w", Nd4j.createFromArray(w)), Map.of());
    }

    @Test
    void ordinaryUpdatesMustBeFinite() {
        assertEquals("part 'w' contains NaN or infinite values",
                UpdateValidator.rejectionReason(update(Float.NaN, 1f), 3, 1, GLOBAL, PLAIN));
        assertNull(UpdateValidator.rejectionReason(update(2f, 1f), 3, 1, GLOBAL, PLAIN));
    }

    @Test
    void rawRingBitsMayHoldAnyPatternButKeepEveryOtherCheck() {
        ClientUpdate nanBits = update(Float.intBitsToFloat(0x7f800001), Float.NEGATIVE_INFINITY);
        assertNull(UpdateValidator.rejectionReason(nanBits, 3, 1, GLOBAL, RING));
        assertEquals("part 'w' has length 1, expected 2",
                UpdateValidator.rejectionReason(update(Float.NaN), 3, 1, GLOBAL, RING));
        assertEquals("update claims client 3 but came from client 4",
                UpdateValidator.rejectionReason(nanBits, 4, 1, GLOBAL, RING));
    }
}
