package org.fedgen.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundContext;
import org.fedgen.core.aggregate.Payloads;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The example of a user-written aggregator in docs/library.md: the coordinate-wise median of the clients' weights. */
public final class CoordinateMedian implements Aggregator {
    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext ctx) {
        if (updates.isEmpty()) {
            return global;                                   // nothing arrived: keep the model
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String part : global.partNames()) {
            INDArray[] rows = new INDArray[updates.size()];
            for (int k = 0; k < rows.length; k++) {          // weights, whatever the clients sent
                rows[k] = Payloads.weights(updates.get(k), part, global.part(part)).reshape(1, -1);
            }
            out.put(part, Nd4j.vstack(rows).median(0));
        }
        return ModelState.of(global.round(), out);
    }
}
