package org.example.consumer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.aggregate.Payloads;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * This project's own aggregation rule: the unweighted mean of the clients' new weights, w = (1/K) Σ_k w_k, whatever
 * their sample counts (FedAvg would weight by n_k).
 */
public final class UniformMean implements Aggregator {
    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        if (updates.isEmpty()) {
            return global;                                  // nothing accepted this round: keep the model
        }
        double[] w = new double[updates.size()];
        Arrays.fill(w, 1.0 / updates.size());
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String part : global.partNames()) {            // clients may send weights or deltas
            out.put(part, Payloads.weightedWeights(updates, w, part, global.part(part)));
        }
        return ModelState.of(global.round(), out);
    }
}
