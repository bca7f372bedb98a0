package org.fedgen.core.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.PayloadKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads weights or deltas out of updates whatever kind the client sent, so averaging rules accept both.
 */
public final class Payloads {
    private Payloads() {
    }

    /** The client's new weights for a part: the payload itself, or global + delta. */
    public static INDArray weights(ClientUpdate u, String part, INDArray global) {
        INDArray p = u.part(part);
        return switch (u.kind()) {
            case WEIGHTS -> p;
            case DELTA -> global.add(p);
            case GRADIENT -> throw notAveragable(u);
        };
    }

    /** The client's delta for a part: the payload itself, or weights − global. */
    public static INDArray delta(ClientUpdate u, String part, INDArray global) {
        INDArray p = u.part(part);
        return switch (u.kind()) {
            case WEIGHTS -> p.sub(global);
            case DELTA -> p;
            case GRADIENT -> throw notAveragable(u);
        };
    }

    /**
     * Σ_k w_k·(client k's weights for the part), computed without materialising global + delta: deltas contribute
     * w_k·Δ_k and the global vector gets the summed weight of all delta updates.
     */
    public static INDArray weightedWeights(List<ClientUpdate> updates, double[] w, String part, INDArray global) {
        List<INDArray> vectors = new ArrayList<>(updates.size() + 1);
        double[] weights = new double[updates.size() + 1];
        double deltaWeight = 0;
        for (int i = 0; i < updates.size(); i++) {
            ClientUpdate u = updates.get(i);
            if (u.kind() == PayloadKind.GRADIENT) {
                throw notAveragable(u);
            }
            if (u.kind() == PayloadKind.DELTA) {
                deltaWeight += w[i];
            }
            vectors.add(u.part(part));
            weights[i] = w[i];
        }
        vectors.add(global);
        weights[updates.size()] = deltaWeight;
        return org.fedgen.core.util.Vectors.weightedSum(vectors, weights);
    }

    /** Throws unless the update carries weights or a delta. */
    static void requireAveragable(ClientUpdate u) {
        if (u.kind() == PayloadKind.GRADIENT) {
            throw notAveragable(u);
        }
    }

    private static IllegalStateException notAveragable(ClientUpdate u) {
        return new IllegalStateException("client " + u.clientId() + " sent a GRADIENT payload; this aggregator"
                + " averages weights or deltas (use FedSgd for gradients)");
    }
}
