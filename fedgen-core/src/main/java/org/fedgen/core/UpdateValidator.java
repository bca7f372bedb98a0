package org.fedgen.core;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.util.Vectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decides whether a client update may reach the aggregator: it must be for this round, of the payload kind asked for,
 * carry exactly the parts asked for with the global lengths (and, in a SCAFFOLD round, a {@link ControlParts control
 * part} Δc_i of the server control's length for every controlled part), and hold only finite values — unless the instructions
 * declare the payload {@link #RING_BITS_ENCODING raw ring elements} (secure aggregation), whose float32 slots carry
 * 32-bit integers bit for bit, NaN and infinity patterns included; the aggregator that asked for them checks them.
 */
public final class UpdateValidator {
    /** The {@link FitInstructions#config()} key that names how a payload's float32 values are to be read. */
    public static final String PAYLOAD_ENCODING = "payload-encoding";
    /**
     * The {@link #PAYLOAD_ENCODING} value for elements of Z_{2^32} carried as the raw bits of float32 values
     * ({@link Float#intBitsToFloat}); such values are not numbers and are not checked for finiteness.
     */
    public static final String RING_BITS_ENCODING = "ring32-raw-bits";

    private UpdateValidator() {
    }

    /**
     * @return null if the update is acceptable, else the reason it is not
     */
    public static String rejectionReason(ClientUpdate u, int expectedClient, long round, ModelState global,
            FitInstructions instructions) {
        if (u == null) {
            return "no update";
        }
        if (u.clientId() != expectedClient) {
            return "update claims client " + u.clientId() + " but came from client " + expectedClient;
        }
        if (u.round() != round) {
            return "update is for round " + u.round() + ", current round is " + round;
        }
        if (u.kind() != instructions.payloadKind()) {
            return "payload kind " + u.kind() + ", expected " + instructions.payloadKind();
        }
        boolean rawBits = RING_BITS_ENCODING.equals(instructions.config().get(PAYLOAD_ENCODING));
        Set<String> expected = new LinkedHashSet<>(instructions.sendParts().isEmpty() ? global.partNames()
                : instructions.sendParts());
        for (String p : instructions.serverControl().keySet()) {
            expected.add(ControlParts.of(p));
        }
        if (!u.parts().keySet().equals(expected)) {
            return "parts " + u.parts().keySet() + ", expected " + expected;
        }
        for (Map.Entry<String, INDArray> e : u.parts().entrySet()) {
            String k = e.getKey();
            long want = ControlParts.isControl(k) ? instructions.serverControl().get(ControlParts.modelPart(k)).length()
                    : global.part(k).length();
            if (e.getValue().length() != want) {
                return "part '" + e.getKey() + "' has length " + e.getValue().length() + ", expected " + want;
            }
            if (!rawBits && !Vectors.allFinite(e.getValue())) {
                return "part '" + e.getKey() + "' contains NaN or infinite values";
            }
        }
        return null;
    }
}
