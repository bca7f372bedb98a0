package org.fedgen.core.aggregate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-made states and updates with parts "w" (2) and "b" (1). */
final class AggTestData {
    private AggTestData() {
    }

    static ClientUpdate update(int id, long round, long n, PayloadKind kind, float[] w, float[] b) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("w", Nd4j.createFromArray(w));
        p.put("b", Nd4j.createFromArray(b));
        return new ClientUpdate(id, round, n, kind, p, Map.of());
    }

    static ClientUpdate withMmd(ClientUpdate u, double mmd) {
        return new ClientUpdate(u.clientId(), u.round(), u.numExamples(), u.kind(), u.parts(), Map.of("mmd", mmd));
    }

    static ModelState state(float[] w, float[] b) {
        return ModelState.builder(0).part("w", Nd4j.createFromArray(w)).part("b", Nd4j.createFromArray(b)).build();
    }

    static RoundContext context(long round) {
        return new RoundContext(round, 42, 10, 10, List.of());
    }
}
